/**
 * Cinder's telemetry in Micrometer: {@link dev.cinder.micrometer.CinderMetrics#bind} registers counters, timers and
 * gauges for connections, joins, events and broadcasts in any {@code MeterRegistry}, e.g. a Prometheus one;
 * {@link dev.cinder.micrometer.CinderObservations#bind} observes connects, joins, {@code handleIn}s and broadcasts
 * between nodes in an {@code ObservationRegistry}, as timers and traces.
 */
package dev.cinder.micrometer;
