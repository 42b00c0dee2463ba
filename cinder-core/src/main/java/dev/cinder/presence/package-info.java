/**
 * Presence: who is on which topic, replicated across the nodes of an endpoint and sent to clients as
 * {@code presence_state} and {@code presence_diff}, the shape the JavaScript client's {@code Presence} reads.
 *
 * <p>A channel tracks its client with {@link dev.cinder.presence.Presence#track}; the entry goes when the
 * channel ends or its node leaves. {@link dev.cinder.presence.PresenceOptions} sets the replication timings,
 * {@link dev.cinder.presence.PresenceFetch} enriches entries before clients see them, and a
 * {@link dev.cinder.presence.PresenceException} reports a track or update that cannot be done.
 */
package dev.cinder.presence;
