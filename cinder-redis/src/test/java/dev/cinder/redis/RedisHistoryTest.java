package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.History;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Routes;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Histories;
import dev.cinder.internal.pubsub.Position;
import dev.cinder.internal.pubsub.Recovery;
import dev.cinder.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Histories in a real redis-server, as nodes of a cluster share them. */
class RedisHistoryTest {
  private static final History KEPT = History.of(100, Duration.ofMinutes(1));
  private static final Channel CHANNEL = new Channel() {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }
  };
  private static RedisServer redis;
  private static Node node;

  @BeforeAll
  static void start() {
    redis = RedisServer.launch();
    node = Node.start(RedisPubSubOptions.of(redis.url(), "hist-a").channelPrefix("hist"));
    histories().declare(new Routes().channel("kept:*", () -> CHANNEL, KEPT));
  }

  @AfterAll
  static void stop() {
    node.close();
    redis.close();
  }

  private static Histories histories() {
    return Fanout.of(node.pubSub()).histories();
  }

  @Test
  void recoveriesOfOneTopicFromOnePositionShareOneRead() throws Exception {
    String topic = "kept:crowd";
    Inbox inbox = node.subscribe(topic);
    node.pubSub().broadcast(topic, "msg", Map.of("n", 1));
    Dispatch first = inbox.await(1).getFirst();
    for (int n = 2; n <= 5; n++) {
      node.pubSub().broadcast(topic, "msg", Map.of("n", n));
    }
    inbox.await(5);
    long before = node.adapter().recoveryReads();
    // Redis holds every command for a while, so that the first read is still under way when the others ask: as when
    // a thousand clients rejoin at once and Redis takes a moment.
    assertThat(redis.command("CLIENT", "PAUSE", "300")).isEqualTo("+OK");
    List<CompletableFuture<Recovery>> reads = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) { // a thousand clients rejoining at once from the same position
      reads.add(histories().recover(topic, KEPT, first.position()));
    }
    List<Recovery> recoveries = reads.stream().map(CompletableFuture::join).toList();
    assertThat(node.adapter().recoveryReads() - before).isEqualTo(1);
    assertThat(recoveries).allSatisfy(recovery -> {
      assertThat(recovery.recovered()).isTrue();
      assertThat(recovery.missed()).extracting(d -> d.position().offset()).containsExactly(2L, 3L, 4L, 5L);
    });
    // The same missed broadcasts, not copies: each is encoded once for all of them.
    assertThat(recoveries.get(999).missed().getFirst()).isSameAs(recoveries.get(0).missed().getFirst());
    Recovery later = histories().recover(topic, KEPT, first.position()).join();
    assertThat(node.adapter().recoveryReads() - before).as("a read after the first one completed").isEqualTo(2);
    assertThat(later.missed()).hasSize(4);
  }

  @Test
  void aPositionTrimmedAwayIsTooOld() {
    String topic = "kept:trimmed";
    Inbox inbox = node.subscribe(topic);
    for (int n = 1; n <= 102; n++) { // the route keeps 100
      node.pubSub().broadcast(topic, "msg", Map.of("n", n));
    }
    List<Dispatch> all = inbox.await(102);
    Position first = all.getFirst().position();
    assertThat(histories().recover(topic, KEPT, first).join().failure()).isEqualTo(Recovery.TOO_OLD);
    Position third = all.get(2).position();
    assertThat(histories().recover(topic, KEPT, third).join().missed()).hasSize(99);
  }

  @Test
  void aTopicOnlyJoinedKeepsItsKeysForItsTtlAndOneWithBroadcastsForADay() throws Exception {
    node.subscribe("kept:quiet"); // as a joining channel does before it recovers
    Recovery joinedOnly = histories().recover("kept:quiet", KEPT, null).join();
    assertThat(joinedOnly.failure()).isEqualTo(Recovery.NO_POSITION);
    long quietTtl = Long.parseLong(redis.command("TTL", "hist:hm:kept:quiet").substring(1));
    assertThat(quietTtl).isBetween(1L, 60L);
    String topic = "kept:busy";
    Inbox inbox = node.subscribe(topic);
    node.pubSub().broadcast(topic, "msg", Map.of("n", 1));
    inbox.await(1);
    long busyTtl = Long.parseLong(redis.command("TTL", "hist:hm:" + topic).substring(1));
    assertThat(busyTtl).isGreaterThan(History.POSITIONS_KEPT.toSeconds() - 60);
  }

  @Test
  void aMasterThatRestartedStartsTheHistoriesOverEvenWithItsDataKept(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    // Its data survives (an append-only file, synced on every write), but its replication id changes: a restarted
    // or promoted master may lack the last writes, and a history must not hand out an offset twice.
    try (RedisServer kept = RedisServer.launch("--appendonly", "yes", "--appendfsync", "always", "--dir", dir.toString());
        Node solo = Node.start(RedisPubSubOptions.of(kept.url(), "hist-solo").channelPrefix("hist"))) {
      Histories histories = Fanout.of(solo.pubSub()).histories();
      histories.declare(new Routes().channel("kept:*", () -> CHANNEL, KEPT));
      String topic = "kept:restarted";
      Inbox inbox = solo.subscribe(topic);
      solo.pubSub().broadcast(topic, "msg", Map.of("n", 1));
      solo.pubSub().broadcast(topic, "msg", Map.of("n", 2));
      Position first = inbox.await(2).getFirst().position();
      kept.kill();
      kept.start();
      assertThat(kept.command("XLEN", "hist:h:" + topic)).as("the history survived the restart").isEqualTo(":2");
      org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(15)).until(() -> solo.adapter().listening(topic)
          && Recovery.EPOCH_CHANGED.equals(histories.recover(topic, KEPT, first).join().failure()));
    }
  }

  @Test
  void anEntryInRedisThatIsNotAnEnvelopeIsAnExplicitFailureNotAHang() throws Exception {
    String topic = "kept:garbage";
    Inbox inbox = node.subscribe(topic);
    node.pubSub().broadcast(topic, "msg", Map.of("n", 1));
    Position first = inbox.await(1).getFirst().position();
    // Something else wrote into the topic's stream, and the hash counts it.
    assertThat(redis.command("XADD", "hist:h:" + topic, "2-0", "t", "99999999999999", "m", "not an envelope")).startsWith("$");
    assertThat(redis.command("HINCRBY", "hist:hm:" + topic, "o", "1")).isEqualTo(":2");
    Recovery recovery = histories().recover(topic, KEPT, first).get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(recovery.recovered()).isFalse();
    assertThat(recovery.failure()).isEqualTo(Recovery.UNAVAILABLE);
    // The shared read is not left behind: the next recovery reads again and answers too.
    assertThat(histories().recover(topic, KEPT, first).get(10, java.util.concurrent.TimeUnit.SECONDS).failure())
        .isEqualTo(Recovery.UNAVAILABLE);
  }
}
