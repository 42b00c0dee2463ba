package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TelemetryListener;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The presence count for gauges, and presence diffs reported to telemetry. */
class PresenceTelemetryTest {
  @Test
  void sizeCountsMetasAndDiffsAreReported() {
    Telemetry telemetry = new Telemetry();
    List<String> reported = new CopyOnWriteArrayList<>();
    telemetry.addListener(new TelemetryListener() {
      @Override
      public void presenceChanged(String topic, int joins, int leaves) {
        reported.add(topic + " +" + joins + " -" + leaves);
      }
    });
    PubSub pubSub = new LocalPubSub(telemetry);
    pubSub.subscribe("room:1", d -> {}); // diffs go only to topics with local subscribers
    try (Presence presence = Presence.create(pubSub, PresenceOptions.defaults().diffWindow(Duration.ZERO), telemetry)) {
      assertThat(presence.nodeName()).isEqualTo(pubSub.nodeName());
      Object owner = new Object();
      presence.track("room:1", owner, "ann", Map.of());
      presence.track("room:1", new Object(), "ann", Map.of());
      presence.track("room:2", owner, "bob", Map.of());
      assertThat(presence.size()).isEqualTo(3);
      // Wait for the joins to go out: changes still pending in one batch would cancel out.
      await().atMost(Duration.ofSeconds(5)).until(() -> reported.stream().anyMatch(r -> r.startsWith("room:1 +1")));
      presence.untrackAll(owner);
      assertThat(presence.size()).isEqualTo(1);
      await().atMost(Duration.ofSeconds(5)).until(() -> reported.contains("room:1 +0 -1"));
      assertThat(reported).first().isEqualTo("room:1 +1 -0");
      assertThat(reported).noneMatch(r -> r.startsWith("room:2")); // no local subscriber there
    }
  }
}
