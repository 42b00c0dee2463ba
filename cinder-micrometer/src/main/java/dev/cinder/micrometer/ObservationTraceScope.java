package dev.cinder.micrometer;

import dev.cinder.telemetry.TraceScope;
import io.micrometer.observation.Observation;

/** A started observation and its scope, open on the thread of the work it observes. */
final class ObservationTraceScope implements TraceScope {
  private final Observation observation;
  private final Observation.Scope scope;

  ObservationTraceScope(Observation observation) {
    this.observation = observation.start();
    this.scope = observation.openScope();
  }

  @Override
  public void outcome(String outcome) {
    switch (observation.getContext()) {
      case ConnectObservationContext c -> c.result(outcome);
      case ChannelObservationContext c -> c.outcome(outcome);
      default -> {}
    }
  }

  @Override
  public void error(Throwable error) {
    observation.error(error);
  }

  @Override
  public void close() {
    scope.close();
    observation.stop();
  }
}
