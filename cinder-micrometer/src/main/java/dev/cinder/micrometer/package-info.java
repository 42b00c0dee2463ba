/**
 * Cinder's telemetry as Micrometer meters: {@link dev.cinder.micrometer.CinderMetrics#bind} registers counters,
 * timers and gauges for connections, joins, events and broadcasts in any {@code MeterRegistry}, e.g. a Prometheus
 * one.
 */
package dev.cinder.micrometer;
