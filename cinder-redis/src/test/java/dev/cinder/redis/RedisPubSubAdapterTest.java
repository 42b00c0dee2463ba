package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Nodes in one JVM on the class's own redis-server, under both channel mappings. */
class RedisPubSubAdapterTest {
  private static final AtomicInteger APPS = new AtomicInteger();
  private static RedisServer redis;
  private final List<Node> nodes = new ArrayList<>();

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.launch();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @AfterEach
  void stopNodes() {
    nodes.forEach(Node::close);
  }

  /** Nodes of one application: a fresh prefix per test, so tests never hear each other. */
  private List<Node> cluster(ChannelMapping mapping, String... names) {
    String prefix = "app" + APPS.incrementAndGet();
    List<Node> started = new ArrayList<>();
    for (String name : names) {
      started.add(node(RedisPubSubOptions.of(redis.url(), name).channelPrefix(prefix).mapping(mapping)));
    }
    return started;
  }

  private Node node(RedisPubSubOptions options) {
    Node node = Node.start(options);
    nodes.add(node);
    return node;
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void aBroadcastReachesEverySubscriberOnEveryNodeExactlyOnce(ChannelMapping mapping) {
    List<Node> abc = cluster(mapping, "a", "b", "c");
    List<Inbox> inboxes = List.of(abc.get(0).subscribe("room:1"), abc.get(1).subscribe("room:1"),
        abc.get(1).subscribe("room:1"), abc.get(2).subscribe("room:1"));

    abc.get(0).pubSub().broadcast("room:1", "hello", Map.of("body", "hi"));

    ClusterFence.pass("room:1", abc, inboxes); // a duplicate, were there one, has arrived by now
    for (Inbox inbox : inboxes) {
      // A node's own fence markers reach its inboxes at once, possibly before a broadcast from another node.
      assertThat(inbox.received()).filteredOn(b -> !b.event().startsWith(ClusterFence.PREFIX))
          .containsExactly(new Broadcast("room:1", "hello", Payload.of(Map.of("body", "hi"))));
    }
    assertThat(abc).allSatisfy(n -> assertThat(n.adapter().undeliveredCount()).isZero());
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void broadcastFromSkipsOnlyTheSendingSubscriber(ChannelMapping mapping) {
    List<Node> ab = cluster(mapping, "a", "b");
    Inbox sender = ab.get(0).subscribe("room:1");
    Inbox neighbour = ab.get(0).subscribe("room:1");
    Inbox remote = ab.get(1).subscribe("room:1");

    Fanout.of(ab.get(0).pubSub()).broadcastFrom(sender, "room:1", "said", Map.of());
    ab.get(0).pubSub().broadcast("room:1", "fence", Map.of());

    await().atMost(Duration.ofSeconds(5)).until(() -> remote.count("fence") == 1);
    assertThat(sender.events()).containsExactly("fence");
    assertThat(neighbour.events()).containsExactly("said", "fence");
    assertThat(remote.events()).containsExactly("said", "fence");
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void directBroadcastReachesOnlyTheNamedNode(ChannelMapping mapping) {
    List<Node> abc = cluster(mapping, "a", "b", "c");
    Inbox a = abc.get(0).subscribe("phx_presence:t");
    Inbox b = abc.get(1).subscribe("phx_presence:t");
    Inbox c = abc.get(2).subscribe("phx_presence:t");

    abc.get(0).pubSub().directBroadcast("b", "phx_presence:t", "transfer_req", Map.of("from", "a"));
    abc.get(0).pubSub().directBroadcast("a", "phx_presence:t", "to_self", Map.of());
    abc.get(0).pubSub().broadcast("phx_presence:t", "fence", Map.of());

    await().atMost(Duration.ofSeconds(5)).until(() -> b.count("fence") == 1 && c.count("fence") == 1);
    assertThat(a.events()).containsExactly("to_self", "fence");
    assertThat(b.events()).containsExactly("transfer_req", "fence");
    assertThat(b.received().getFirst().payload().string("from")).isEqualTo("a");
    assertThat(c.events()).containsExactly("fence");
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void orderIsKeptPerPublisherAndTopicUnderLoad(ChannelMapping mapping) {
    String prefix = "app" + APPS.incrementAndGet();
    List<Node> abc = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      // Enough in flight that a burst of 10,000 is never dropped for lack of room.
      abc.add(node(RedisPubSubOptions.of(redis.url(), name).channelPrefix(prefix).mapping(mapping).maxInFlight(50_000)));
    }
    Inbox one = abc.get(2).subscribe("room:1");
    Inbox two = abc.get(2).subscribe("room:2");
    int perPublisher = 5_000;

    Thread[] publishers = new Thread[2];
    for (int p = 0; p < 2; p++) {
      Node from = abc.get(p);
      publishers[p] = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < perPublisher; i++) {
          from.pubSub().broadcast(i % 2 == 0 ? "room:1" : "room:2", from.name(), Map.of("seq", i));
        }
      });
    }
    for (Thread publisher : publishers) {
      try {
        publisher.join();
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }

    await().atMost(Duration.ofSeconds(20)).until(() -> one.received().size() + two.received().size() == 2 * perPublisher);
    for (Inbox inbox : List.of(one, two)) {
      for (String publisher : List.of("a", "b")) {
        List<Integer> seqs = inbox.received().stream().filter(b -> b.event().equals(publisher))
            .map(b -> b.payload().field("seq").asInt()).toList();
        assertThat(seqs).hasSize(perPublisher / 2).isSorted().doesNotHaveDuplicates();
      }
    }
    assertThat(abc).allSatisfy(n -> assertThat(n.adapter().undeliveredCount()).isZero());
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void binaryPayloadsAndNonAsciiNamesCrossUnchanged(ChannelMapping mapping) {
    List<Node> ab = cluster(mapping, "a", "b");
    Inbox inbox = ab.get(1).subscribe("room:grüße");
    byte[] bytes = new byte[256];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) i;
    }

    ab.get(0).pubSub().broadcast("room:grüße", "bin", Payload.binary(bytes));
    ab.get(0).pubSub().broadcast("room:grüße", "leer", Payload.binary(new byte[0]));

    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.received().size() == 2);
    assertThat(inbox.received().get(0).payload().isBinary()).isTrue();
    assertThat(inbox.received().get(0).payload().bytes()).isEqualTo(bytes);
    assertThat(inbox.received().get(0).topic()).isEqualTo("room:grüße");
    assertThat(inbox.received().get(1).payload().bytes()).isEmpty();
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void twoApplicationsOnOneRedisDoNotHearEachOther(ChannelMapping mapping) {
    List<Node> app1 = cluster(mapping, "a", "b");
    List<Node> app2 = cluster(mapping, "a", "b"); // the same node names and topic, another prefix
    Inbox b1 = app1.get(1).subscribe("room:1");
    Inbox b2 = app2.get(1).subscribe("room:1");

    app1.get(0).pubSub().broadcast("room:1", "app1", Map.of());
    app1.get(0).pubSub().directBroadcast("b", "room:1", "app1-direct", Map.of());
    app2.get(0).pubSub().broadcast("room:1", "app2", Map.of());

    await().atMost(Duration.ofSeconds(5)).until(() -> b1.received().size() == 2 && b2.received().size() == 1);
    // Each application's fence is published after Redis executed the other's broadcasts (they have arrived), so
    // it reaches its node after any of them that leaked across.
    app1.get(0).pubSub().broadcast("room:1", "fence", Map.of());
    app2.get(0).pubSub().broadcast("room:1", "fence", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> b1.count("fence") == 1 && b2.count("fence") == 1);
    assertThat(b1.events()).containsExactly("app1", "app1-direct", "fence");
    assertThat(b2.events()).containsExactly("app2", "fence");
  }

  @ParameterizedTest
  @EnumSource(ChannelMapping.class)
  void garbageOnTheChannelsIsIgnoredAndCounted(ChannelMapping mapping) throws Exception {
    List<Node> ab = cluster(mapping, "a", "b");
    Node b = ab.get(1);
    Inbox inbox = b.subscribe("room:1");
    String prefix = b.adapter().options().channelPrefix();
    String topicChannel = mapping == ChannelMapping.SHARED ? prefix + ":all" : prefix + ":t:room:1";
    // Version 1, JSON, origin "x", topic "room:1", event "e", then a payload that is not JSON.
    String badJson = "\u0001\u0000\u0001x\u0006room:1\u0001e{not json";

    assertThat(redis.command("PUBLISH", topicChannel, "hello, I am not an envelope")).startsWith(":");
    assertThat(redis.command("PUBLISH", prefix + ":n:b", "\u0009\u0000")).startsWith(":");
    assertThat(redis.command("PUBLISH", topicChannel, badJson)).startsWith(":");
    assertThat(redis.command("PUBLISH", topicChannel, "\u0001\u0000\u007f")).startsWith(":"); // length past the end
    ab.get(0).pubSub().broadcast("room:1", "still works", Map.of());

    await().atMost(Duration.ofSeconds(5)).until(() -> inbox.received().size() == 1);
    assertThat(inbox.events()).containsExactly("still works");
    assertThat(b.adapter().rejectedCount()).isEqualTo(4);
    assertThat(b.adapter().connected()).isTrue();
  }

  @Test
  void thePerTopicMappingListensToATopicOnlyWhileItHasLocalSubscribers() {
    List<Node> ab = cluster(ChannelMapping.PER_TOPIC, "a", "b");
    Node b = ab.get(1);
    assertThat(b.adapter().listening("room:1")).isFalse();
    Inbox first = new Inbox();
    Inbox second = new Inbox();
    var one = Fanout.of(b.pubSub()).subscribeShared("room:1", first);
    var two = Fanout.of(b.pubSub()).subscribeShared("room:1", second);
    await().atMost(Duration.ofSeconds(5)).until(() -> b.adapter().listening("room:1"));

    one.close();
    // A later SUBSCRIBE on the same connection: Redis answers in order, so an UNSUBSCRIBE the close had sent
    // would be confirmed by the time this one is.
    b.subscribe("room:fence");
    assertThat(b.adapter().listening("room:1")).isTrue(); // one subscriber is left
    two.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> !b.adapter().listening("room:1"));

    Inbox again = b.subscribe("room:1");
    ab.get(0).pubSub().broadcast("room:1", "back", Map.of());
    await().atMost(Duration.ofSeconds(5)).until(() -> again.count("back") == 1);
    assertThat(first.received()).isEmpty();
  }
}
