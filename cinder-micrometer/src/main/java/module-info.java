/** Cinder's telemetry as Micrometer meters: {@link dev.cinder.micrometer.CinderMetrics}. */
// CinderMetrics binds to a Micrometer MeterRegistry, so its users read Micrometer's (automatic) module too.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.cinder.micrometer {
  requires transitive dev.cinder.core;
  requires transitive micrometer.core;

  exports dev.cinder.micrometer;
}
