package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A node that stops on purpose (a drain: its channels end, then its Presence closes) tells the other nodes its
 * last leaves as it closes, instead of leaving them listed until its down period.
 */
class PresenceShutdownTest {
  private static final String TOPIC = "room:1";
  /** Heartbeats a second apart and a down period of 30 s: a leave seen within the 10 s waits came from close(). */
  // One shard: the peer check below reads the one tracker, which hears of b through the topic's own messages.
  private static final PresenceOptions SLOW = PresenceOptions.defaults().name("shutdown").shards(1)
      .broadcastPeriod(Duration.ofSeconds(1)).maxSilentPeriods(1)
      .downPeriod(Duration.ofSeconds(30)).permdownPeriod(Duration.ofSeconds(60));

  @Test
  void theLeavesOfAClosingNodeReachTheOthersAtOnce() {
    SimulatedCluster cluster = new SimulatedCluster();
    Presence a = Presence.create(cluster.node("a"), "a", SLOW);
    Presence b = Presence.create(cluster.node("b"), "b", SLOW);
    try {
      b.track(TOPIC, "channel-1", "u1", Map.of());
      b.track(TOPIC, "channel-2", "u2", Map.of());
      await().atMost(Duration.ofSeconds(10)).until(() -> a.list(TOPIC).keySet().equals(java.util.Set.of("u1", "u2")));

      b.untrackAll("channel-1"); // its channel ended in the drain, right before the node closed its Presence
      b.close();

      await().atMost(Duration.ofSeconds(10)).until(() -> a.list(TOPIC).keySet().equals(java.util.Set.of("u2")));
      assertThat(a.tracker().peers()).containsEntry("b", "up"); // not found silent: told
    } finally {
      a.close();
      b.close();
    }
  }
}
