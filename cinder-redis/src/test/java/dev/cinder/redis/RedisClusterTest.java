package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.cinder.testkit.RedisCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;

/**
 * Two nodes in this JVM on a Redis Cluster of the test's own (three masters, a replica each): broadcasts travel as
 * sharded pub/sub on topics of every shard, direct sends reach their node, and a shard's failover is survived.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterTest {
  private static RedisCluster redis;
  private static Node a;
  private static Node b;
  private static List<String> topics; // topics.get(shard): a topic whose channel hashes to that shard
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger adapterLog = (Logger) LoggerFactory.getLogger(RedisPubSubAdapter.class);

  @BeforeAll
  static void start() {
    redis = RedisCluster.launch();
    RedisPubSubOptions options = RedisPubSubOptions.of(redis.url(), "a").topologyRefresh(Duration.ofMillis(200))
        .reconnectDelay(Duration.ofMillis(50), Duration.ofMillis(500)).commandTimeout(Duration.ofSeconds(1));
    a = Node.start(options);
    b = Node.start(options.withNodeName("b"));
    topics = new ArrayList<>();
    for (int shard = 0; shard < redis.shards(); shard++) {
      for (int i = 0; ; i++) {
        if (redis.shardOf("cinder:t:room:" + i) == shard) {
          topics.add("room:" + i);
          break;
        }
      }
    }
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable closeable : new AutoCloseable[] {a, b, redis}) {
      try {
        if (closeable != null) {
          closeable.close();
        }
      } catch (Exception e) {
        // go on stopping the rest
      }
    }
  }

  @AfterEach
  void detachLogs() {
    adapterLog.detachAppender(logs);
  }

  @Test
  @Order(1)
  void broadcastsCrossBothWaysOnTopicsOfEveryShardExactlyOnce() {
    for (String topic : topics) {
      Inbox onA = a.subscribe(topic);
      Inbox onB = b.subscribe(topic);
      a.pubSub().broadcast(topic, "from a", Map.of("topic", topic));
      b.pubSub().broadcast(topic, "from b", Map.of("topic", topic));
      ClusterFence.pass(topic, List.of(a, b), List.of(onA, onB)); // a duplicate, were there one, is here by now
      assertThat(onA.eventsBeforeFence()).containsExactly("from a", "from b");
      assertThat(onB.eventsBeforeFence()).containsExactlyInAnyOrder("from a", "from b");
      assertThat(onB.received().getFirst().payload().field("topic").stringValue()).isEqualTo(topic);
    }
    assertThat(a.adapter().undeliveredCount()).isZero();
    assertThat(b.adapter().undeliveredCount()).isZero();
  }

  @Test
  @Order(2)
  void aDirectBroadcastReachesOnlyTheNamedNode() {
    Inbox onA = a.subscribe("private:x");
    Inbox onB = b.subscribe("private:x");
    a.pubSub().directBroadcast("b", "private:x", "for b", Map.of());
    b.pubSub().directBroadcast("a", "private:x", "for a", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> onB.count("for b") == 1 && onA.count("for a") == 1);
    ClusterFence.pass("private:x", List.of(a, b), List.of(onA, onB));
    assertThat(onA.eventsBeforeFence()).containsExactly("for a");
    assertThat(onB.eventsBeforeFence()).containsExactly("for b");
  }

  @Test
  @Order(3)
  void aShardFailoverIsSurvivedCountedAndLoggedAndItsTopicsFlowAgain() {
    logs.start();
    adapterLog.addAppender(logs);
    // The shard that holds node b's own channel: its direct sends must move to the new master as well.
    int shard = redis.shardOf("cinder:n:b");
    String topic = topics.get(shard);
    String other = topics.get((shard + 1) % redis.shards());
    Inbox onB = b.subscribe(topic);
    Inbox onBOther = b.subscribe(other);
    Inbox onA = a.subscribe(topic);

    redis.killMaster(shard);
    // Published while the shard has no master: lost and counted at once, never queued; the other shards carry on.
    int[] during = {0};
    await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> {
      a.pubSub().broadcast(topic, "during", Map.of("i", during[0]++));
      return a.adapter().undeliveredCount() > 0;
    });
    a.pubSub().broadcast(other, "elsewhere", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> onBOther.count("elsewhere") == 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> a.adapter().undeliveredCount() >= during[0]);

    redis.awaitFailover(shard); // polls until the replica is master and the cluster healthy: a bounded wait
    // The nodes read the new topology and subscribe again on the new master; node a publishes there.
    await().atMost(Duration.ofSeconds(15)).until(() -> b.adapter().listening(topic) && a.adapter().listening(topic));
    // Node a may route to the dead master until it has read the new topology as well: probes until one crosses.
    await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100)).until(() -> {
      a.pubSub().broadcast(topic, "probe", Map.of());
      return onB.count("probe") > 0;
    });
    a.pubSub().broadcast(topic, "after", Map.of());
    a.pubSub().directBroadcast("b", topic, "direct after", Map.of());
    b.pubSub().broadcast(topic, "reply", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> onB.count("after") == 1 && onB.count("direct after") == 1
        && onA.count("reply") == 1);
    ClusterFence.pass(topic, List.of(a, b), List.of(onA, onB));

    // Nothing published to the dead master arrived; what crossed after the failover arrived once, in order.
    long lost = a.adapter().undeliveredCount();
    assertThat(onB.count("during")).isZero();
    // Node a's topic channel and node b's own channel share this shard: one connection, so a's order holds.
    assertThat(onB.eventsBeforeFence().stream().filter(e -> !e.equals("probe") && !e.equals("reply")).toList())
        .containsExactly("after", "direct after");
    assertThat(onB.count("reply")).isEqualTo(1);
    assertThat(onA.count("reply")).isEqualTo(1);
    assertThat(lost).isGreaterThanOrEqualTo(during[0]); // and the probes lost before the nodes read the new topology
    // One line when broadcasts stop crossing, one with the count when they cross again: never per message.
    await().atMost(Duration.ofSeconds(5)).until(() -> linesAbout("node a").size() >= 2);
    assertThat(linesAbout("node a").get(0)).contains("cannot cross");
    assertThat(linesAbout("node a").get(1)).contains("again").contains("could not cross");
  }

  private List<String> linesAbout(String node) {
    return logs.list.stream().map(ILoggingEvent::getFormattedMessage)
        .filter(m -> m.startsWith(node + ":") && m.contains("cross")).toList();
  }
}
