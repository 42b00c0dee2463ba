package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** presence_diff batching: a join storm costs a few diffs, and what clients rebuild from them is right. */
class DiffBatchingTest {
  private static final String TOPIC = "room:storm";

  private final PubSub pubSub = new LocalPubSub();
  private final DiffRecorder recorder = new DiffRecorder(pubSub, TOPIC);
  private Presence presence;

  @AfterEach
  void close() {
    presence.close();
  }

  @Test
  void aJoinStormIsMergedIntoAFewDiffs() throws InterruptedException {
    presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ofMillis(50)));
    Thread[] joiners = new Thread[4];
    for (int t = 0; t < joiners.length; t++) {
      int thread = t;
      joiners[t] = Thread.ofVirtual().start(() -> {
        for (int i = 0; i < 500; i++) {
          presence.track(TOPIC, "pid-" + thread + "-" + i, "user" + (i % 300), Map.of("n", i));
        }
      });
    }
    for (Thread joiner : joiners) {
      joiner.join();
    }
    await().untilAsserted(() -> assertThat(recorder.client.metas())
        .isEqualTo(ClientPresence.normalize(presence.list(TOPIC))));
    int joins = recorder.diffs.stream().mapToInt(d -> count(d.get("joins"))).sum();
    assertThat(joins).isEqualTo(2000);
    assertThat(recorder.diffs.size()).as("diffs for 2000 joins").isLessThan(40);
  }

  @Test
  void changesWithinTheWindowAreMergedIntoOneDiffThatKeepsEveryLeave() {
    presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ofSeconds(1)));
    presence.track(TOPIC, "pid-a", "a", Map.of()); // after a quiet period: sent at once
    await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofMillis(500)).until(() -> recorder.diffs.size() == 1);
    presence.track(TOPIC, "pid-b", "b", Map.of()); // within the window: held back, then merged
    presence.untrack(TOPIC, "pid-b", "b"); // a joiner may have listed b meanwhile: its leave is still sent
    presence.track(TOPIC, "pid-c", "c", Map.of());
    assertThat(recorder.diffs).hasSize(1);

    await().until(() -> recorder.diffs.size() == 2);
    JsonNode second = recorder.diffs.get(1);
    assertThat(second.get("joins").propertyNames()).containsExactly("b", "c");
    assertThat(second.get("leaves").propertyNames()).containsExactly("b");
    assertThat(recorder.client.metas()).isEqualTo(ClientPresence.normalize(presence.list(TOPIC)));
  }

  @Test
  void aZeroWindowSendsEveryChangeAtOnce() {
    presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO));
    for (int i = 0; i < 5; i++) {
      presence.track(TOPIC, "pid" + i, "u" + i, Map.of());
      int expected = i + 1;
      await().atMost(Duration.ofSeconds(2)).until(() -> recorder.diffs.size() == expected);
    }
  }

  private static int count(JsonNode presences) {
    int count = 0;
    for (JsonNode presence : presences) {
      count += presence.get("metas").size();
    }
    return count;
  }
}
