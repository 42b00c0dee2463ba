package dev.cinder.guide;

import dev.cinder.micrometer.CinderMetrics;
import dev.cinder.presence.Presence;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TelemetryListener;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Telemetry of the guide's server: a listener that logs slow joins, and the Micrometer meters. */
public final class Observability {
  private Observability() {}

  // region: telemetry-listener
  /** Logs every join slower than a threshold, and every refused connection. */
  public static final class SlowJoinLog implements TelemetryListener {
    private static final Logger log = LoggerFactory.getLogger(SlowJoinLog.class);
    private final long thresholdNanos;

    public SlowJoinLog(Duration threshold) {
      this.thresholdNanos = threshold.toNanos();
    }

    @Override
    public void channelJoined(String route, String topic, String outcome, long nanos) {
      if (nanos > thresholdNanos) {
        log.warn("join of {} ({}) took {} ms: {}", topic, route, nanos / 1_000_000, outcome);
      }
    }

    @Override
    public void socketConnected(String path, String transport, boolean accepted, long nanos) {
      if (!accepted) {
        log.info("refused a {} connection on {}", transport, path);
      }
    }
  }
  // endregion

  // region: telemetry-register
  public static void watch(Telemetry telemetry, MeterRegistry registry, Presence presence) {
    telemetry.addListener(new SlowJoinLog(Duration.ofMillis(250)));
    // Timers, gauges and counters named cinder.*; no gauge of topics here (null), one of presences.
    CinderMetrics.bind(registry, telemetry, null, presence::size);
  }
  // endregion
}
