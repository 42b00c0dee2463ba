package dev.cinder.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.telemetry.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The binder's meters and their names in Prometheus text, fed by telemetry events. */
class CinderMetricsTest {
  @Test
  void eventsBecomeMetersWithBoundedTags() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Telemetry telemetry = new Telemetry();
    java.util.concurrent.atomic.AtomicInteger topics = new java.util.concurrent.atomic.AtomicInteger(3);
    CinderMetrics.bind(registry, telemetry, topics::get, null); // a capturing supplier, as in real use

    telemetry.socketConnected("/socket", "websocket", true, 1_000_000);
    telemetry.socketOpened();
    telemetry.channelJoined("room:*", "room:1", "ok", 2_000_000);
    for (int i = 0; i < CinderMetrics.MAX_EVENT_NAMES + 10; i++) {
      telemetry.eventHandled("room:*", "room:1", "event" + i, "ok", 1000);
    }
    telemetry.broadcast("room:1", "new_msg", 2);
    telemetry.delivered();
    telemetry.delivered();
    telemetry.rateLimited("room:1", "new_msg");
    telemetry.transportError("websocket", "malformed_frame");

    assertThat(registry.get("cinder.sockets").gauge().value()).isEqualTo(1);
    assertThat(registry.get("cinder.channels").gauge().value()).isEqualTo(1);
    assertThat(registry.get("cinder.topics").gauge().value()).isEqualTo(3);
    System.gc(); // the suppliers are lambdas nobody else holds: they must survive a collection
    assertThat(registry.get("cinder.topics").gauge().value()).isEqualTo(3);
    assertThat(registry.get("cinder.channel.join").tag("route", "room:*").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(2.0);
    assertThat(registry.get("cinder.channel.handle_in").tag("event", "other").timer().count()).isEqualTo(10);
    assertThat(registry.find("cinder.channel.handle_in").timers()).hasSize(CinderMetrics.MAX_EVENT_NAMES + 1);
    assertThat(registry.get("cinder.deliveries").functionCounter().count()).isEqualTo(2);
    assertThat(registry.get("cinder.broadcasts").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("cinder.rate_limited").functionCounter().count()).isEqualTo(1);
    assertThat(registry.get("cinder.transport.errors").tag("kind", "malformed_frame").counter().count()).isEqualTo(1);
    assertThat(registry.scrape()).contains("cinder_deliveries_total 2.0").contains("cinder_sockets 1.0");
  }
}
