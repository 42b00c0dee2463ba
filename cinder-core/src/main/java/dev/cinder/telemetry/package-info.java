/**
 * What happens inside an endpoint, as events and counters: one {@link dev.cinder.telemetry.Telemetry} per
 * endpoint, shared by its PubSub and Presence, tells every registered
 * {@link dev.cinder.telemetry.TelemetryListener} about connections, joins, events, broadcasts and drops, and a
 * {@link dev.cinder.telemetry.Tracing}, if one is set, traces connects, joins, {@code handleIn}s and broadcasts
 * between nodes. {@code dev.cinder.micrometer} turns them into meters and observations.
 */
package dev.cinder.telemetry;
