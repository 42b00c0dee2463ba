/**
 * What happens inside an endpoint, as events and counters: one {@link dev.cinder.telemetry.Telemetry} per
 * endpoint, shared by its PubSub and Presence, tells every registered
 * {@link dev.cinder.telemetry.TelemetryListener} about connections, joins, events, broadcasts and drops.
 * {@code dev.cinder.micrometer} turns them into meters.
 */
package dev.cinder.telemetry;
