/**
 * Cinder's telemetry as Micrometer meters ({@link dev.cinder.micrometer.CinderMetrics}) and as observations, so
 * timers and traces ({@link dev.cinder.micrometer.CinderObservations}).
 */
// The binders take Micrometer's MeterRegistry and ObservationRegistry, so their users read Micrometer's (automatic)
// modules too.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cinder.micrometer {
  requires transitive dev.cinder.core;
  requires transitive micrometer.core;
  requires transitive micrometer.observation;
  requires transitive micrometer.commons;

  exports dev.cinder.micrometer;
}
