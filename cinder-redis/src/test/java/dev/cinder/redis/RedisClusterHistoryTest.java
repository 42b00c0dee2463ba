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
import dev.cinder.internal.pubsub.Recovery;
import dev.cinder.testkit.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Histories on a Redis Cluster of the test's own (three masters): each topic's history lives on the shard of its
 * channel, positions are the same on both nodes, and a node recovers what the other recorded.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterHistoryTest {
  private static final History KEPT = History.of(100, Duration.ofMinutes(1));
  private static final Channel CHANNEL = new Channel() {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }
  };
  private static RedisCluster redis;
  private static Node a;
  private static Node b;

  @BeforeAll
  static void start() {
    redis = RedisCluster.launch();
    RedisPubSubOptions options = RedisPubSubOptions.of(redis.url(), "ha").commandTimeout(Duration.ofSeconds(2));
    a = Node.start(options);
    b = Node.start(options.withNodeName("hb"));
    for (Node node : List.of(a, b)) {
      histories(node).declare(new Routes().channel("kept:*", () -> CHANNEL, KEPT));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis}) {
      if (closeable != null) {
        closeable.close();
      }
    }
  }

  private static Histories histories(Node node) {
    return Fanout.of(node.pubSub()).histories();
  }

  /** A topic whose channel hashes to each shard, in shard order. */
  private static List<String> topicPerShard(String prefix) {
    List<String> topics = new ArrayList<>();
    for (int shard = 0; shard < redis.shards(); shard++) {
      for (int i = 0; ; i++) {
        if (redis.shardOf("cinder:t:" + prefix + i) == shard) {
          topics.add(prefix + i);
          break;
        }
      }
    }
    return topics;
  }

  @Test
  @Order(1)
  void everyShardKeepsItsTopicsHistoriesAndBothNodesSeeTheSamePositions() {
    List<String> topics = topicPerShard("kept:");
    for (String topic : topics) {
      Inbox atA = a.subscribe(topic);
      Inbox atB = b.subscribe(topic);
      for (int n = 1; n <= 3; n++) {
        (n == 2 ? b : a).pubSub().broadcast(topic, "msg", Map.of("n", n));
      }
      List<Dispatch> seenByA = atA.await(3);
      List<Dispatch> seenByB = atB.await(3);
      assertThat(seenByA).extracting(Dispatch::position).isEqualTo(seenByB.stream().map(Dispatch::position).toList());
      assertThat(seenByA).extracting(d -> d.position().offset()).containsExactly(1L, 2L, 3L);
      Recovery recovery = histories(b).recover(topic, KEPT, seenByA.getFirst().position()).join();
      assertThat(recovery.recovered()).as(topic).isTrue();
      assertThat(recovery.missed()).extracting(d -> d.position().offset()).containsExactly(2L, 3L);
      // What was missed is what came live at those positions (the nodes' broadcasts interleave as Redis took them).
      assertThat(recovery.missed()).extracting(d -> d.broadcast().payload().integer("n"))
          .isEqualTo(seenByA.subList(1, 3).stream().map(d -> d.broadcast().payload().integer("n")).toList());
    }
  }

  @Test
  @Order(2)
  void aFailedOverShardStartsTheHistoriesOverForRedisMayHaveLostTheLastWrites() {
    String topic = topicPerShard("kept:f").getFirst();
    Inbox inbox = a.subscribe(topic);
    a.pubSub().broadcast(topic, "msg", Map.of("n", 1));
    a.pubSub().broadcast(topic, "msg", Map.of("n", 2));
    Dispatch first = inbox.await(2).getFirst();
    assertThat(histories(a).recover(topic, KEPT, first.position()).join().recovered()).isTrue();
    redis.failover(0); // the shard's replica takes over: it may lack what was written last (replication is async)
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        Recovery.EPOCH_CHANGED.equals(histories(a).recover(topic, KEPT, first.position()).join().failure()));
  }
}
