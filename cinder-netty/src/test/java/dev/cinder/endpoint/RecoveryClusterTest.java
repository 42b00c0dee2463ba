package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJsExtension;
import dev.cinder.testkit.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Recovery across a cluster: histories live in Redis, so a client whose connection drops and comes back on another
 * node gets what it missed there; Redis losing its data is told, never a silent gap. Two endpoints over one real
 * redis-server, the official client behind a proxy that breaks connections and points them at either node.
 */
class RecoveryClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static RedisServer redis;
  private static ClusterNode a;
  private static ClusterNode b;
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private static ClusterNode startNode(String name) {
    return startNode(redis.url(), name);
  }

  private static ClusterNode startNode(String redisUrl, String name) {
    return ClusterNode.start(RedisPubSubOptions.of(redisUrl, name).channelPrefix("recovery"), SocketOptions.defaults());
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.launch();
    a = startNode("rec-a");
    b = startNode("rec-b");
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    redis.close();
  }

  private static JsSocket connect(SwitchingProxy proxy, String user) {
    return js.connect("ws://127.0.0.1:" + proxy.port() + "/socket", JsSocketOptions.create()
        .params(Map.of("user", user)).reconnectAfter(Duration.ofMillis(200)).rejoinAfter(Duration.ofMillis(200)));
  }

  /** A client connected to {@code node} directly. */
  private static JsSocket connect(ClusterNode node, String user) {
    return js.connect(node.server.socketUrl(), JsSocketOptions.create().params(Map.of("user", user))
        .reconnectAfter(Duration.ofMillis(200)).rejoinAfter(Duration.ofMillis(200)));
  }

  /**
   * Joins asking for positions, and waits until {@code node} hears the topic on Redis; returns the epoch the first
   * join's reply names.
   */
  private static String joinWithPositions(JsChannel room, ClusterNode node) {
    room.joinRecovering(Map.of());
    String epoch = room.awaitEvent("recovery", WAIT).path("recovery").path("position").stringValue().split(":")[0];
    await().atMost(WAIT).until(() -> node.adapter().listening(room.topic()));
    return epoch;
  }

  /** Breaks the client's connection and keeps it out until released; waits until its node let go of it. */
  private static void cutOff(SwitchingProxy proxy, ClusterNode node, String topic) {
    proxy.hold();
    proxy.drop();
    await().atMost(WAIT).until(() -> node.pubSub.subscriberCount(topic) == 0);
  }

  private static List<Integer> range(int from, int to) {
    List<Integer> numbers = new ArrayList<>();
    for (int n = from; n <= to; n++) {
      numbers.add(n);
    }
    return numbers;
  }

  private static List<Integer> numbers(JsChannel channel) {
    List<Integer> numbers = new ArrayList<>();
    for (JsMessage message : channel.messages()) {
      if (message.event().equals("msg")) {
        numbers.add(message.payload().get("n").intValue());
      }
    }
    return numbers;
  }

  @Test
  void aClientThatComesBackOnAnotherNodeGetsWhatItMissedThere() throws IOException {
    String topic = "history:moved";
    try (SwitchingProxy proxy = new SwitchingProxy(a.port())) {
      JsSocket socket = connect(proxy, "ann");
      JsChannel room = socket.channel(topic);
      String epoch = joinWithPositions(room, a);
      b.server.endpoint.broadcast(topic, "msg", Map.of("n", 0)); // from the other node, through Redis
      assertThat(room.awaitMessage("msg", WAIT).ref()).isEqualTo(epoch + ":1");

      cutOff(proxy, a, topic);
      for (int n = 1; n <= 100; n++) {
        (n % 2 == 0 ? a : b).server.endpoint.broadcast(topic, "msg", Map.of("n", n)); // from both nodes
      }
      proxy.pointAt(b.port());
      proxy.release();
      JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
      assertThat(rejoin.get("recovered").booleanValue()).as("%s", rejoin).isTrue();
      assertThat(rejoin.get("position").stringValue()).isEqualTo(epoch + ":101");
      assertThat(b.pubSub.subscriberCount(topic)).as("back on node b").isEqualTo(1);

      a.server.endpoint.broadcast(topic, "fence", Map.of());
      assertThat(room.awaitMessage("fence", WAIT).ref()).isEqualTo(epoch + ":102");
      // Every position once and in order; the two nodes' broadcasts interleave as Redis took them, each node's own
      // in the order it sent them.
      List<String> expectedRefs = new ArrayList<>();
      for (int offset = 1; offset <= 101; offset++) {
        expectedRefs.add(epoch + ":" + offset);
      }
      assertThat(room.messages()).filteredOn(m -> m.event().equals("msg")).extracting(JsMessage::ref)
          .isEqualTo(expectedRefs);
      List<Integer> numbers = numbers(room);
      assertThat(numbers).containsExactlyInAnyOrderElementsOf(range(0, 100));
      assertThat(numbers.stream().filter(n -> n > 0 && n % 2 == 0).toList()).isSorted();
      assertThat(numbers.stream().filter(n -> n % 2 == 1).toList()).isSorted();
      socket.disconnect();
    }
  }

  @Test
  void aHistoryRedisLostIsANewEpochAndTheClientIsToldSo() throws IOException {
    String topic = "history:flushed";
    try (SwitchingProxy proxy = new SwitchingProxy(a.port())) {
      JsSocket socket = connect(proxy, "bob");
      JsChannel room = socket.channel(topic);
      String epoch = joinWithPositions(room, a);
      a.server.endpoint.broadcast(topic, "msg", Map.of("n", 1));
      room.awaitMessage("msg", WAIT);

      cutOff(proxy, a, topic);
      a.server.endpoint.broadcast(topic, "msg", Map.of("n", 2));
      String offsetKey = "recovery:hm:" + topic;
      await().atMost(WAIT).until(() -> redis.bulkCommand("HGET", offsetKey, "o").equals("2")); // recorded
      assertThat(redis.command("FLUSHALL")).contains("OK");
      proxy.pointAt(b.port());
      proxy.release();
      JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
      assertThat(rejoin.get("recovered").booleanValue()).isFalse();
      assertThat(rejoin.get("reason").stringValue()).isEqualTo("epoch_changed");
      String newEpoch = rejoin.get("position").stringValue().split(":")[0];
      assertThat(newEpoch).isNotEqualTo(epoch);
      assertThat(rejoin.get("position").stringValue()).isEqualTo(newEpoch + ":0");

      b.server.endpoint.broadcast(topic, "fence", Map.of());
      assertThat(room.awaitMessage("fence", WAIT).ref()).isEqualTo(newEpoch + ":1");
      assertThat(numbers(room)).containsExactly(1); // 2 was lost with Redis's data: told, not replayed
      socket.disconnect();
    }
  }

  @Test
  void whatCouldNotBeRecordedWhileRedisWasAwayStartsTheHistoryOver() throws IOException {
    String topic = "history:outage";
    // The node reaches Redis through a proxy, so Redis can go away for it and come back with its data.
    try (SwitchingProxy toRedis = new SwitchingProxy(redis.port());
        ClusterNode solo = startNode("redis://127.0.0.1:" + toRedis.port(), "rec-solo")) {
      JsSocket socket = connect(solo, "cy");
      JsChannel room = socket.channel(topic);
      String epoch = joinWithPositions(room, solo);
      solo.server.endpoint.broadcast(topic, "msg", Map.of("n", 1));
      assertThat(room.awaitMessage("msg", WAIT).ref()).isEqualTo(epoch + ":1");

      toRedis.hold();
      toRedis.drop();
      // The node may miss what other nodes record now: the client rejoins, and its rejoin waits for Redis.
      assertThat(room.awaitEvent("channelError", WAIT).path("reason").toString()).contains("resync");
      await().atMost(WAIT).until(() -> solo.pubSub.subscriberCount(topic) == 1);
      solo.server.endpoint.broadcast(topic, "msg", Map.of("n", 2));
      JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
      assertThat(rejoin.get("reason").stringValue()).isEqualTo("unavailable");
      JsMessage unrecorded = room.awaitMessage("msg", WAIT);
      assertThat(unrecorded.payload().get("n").intValue()).as("still delivered on this node").isEqualTo(2);
      assertThat(unrecorded.ref()).as("but with no position").isNull();

      toRedis.release();
      await().atMost(WAIT).until(() -> solo.adapter().listening(topic));
      solo.server.endpoint.broadcast(topic, "msg", Map.of("n", 3));
      JsMessage after = room.awaitMessage("msg", WAIT);
      assertThat(after.payload().get("n").intValue()).isEqualTo(3);
      assertThat(after.ref()).as("the topic's history started over").doesNotStartWith(epoch).endsWith(":1");
      socket.disconnect();
    }
  }

  @Test
  void whenANodeLosesRedisItsClientsRejoinAndRecoverWhatOtherNodesSentMeanwhile() throws IOException {
    String topic = "history:gap";
    try (SwitchingProxy toRedis = new SwitchingProxy(redis.port());
        ClusterNode cut = startNode("redis://127.0.0.1:" + toRedis.port(), "rec-cut")) {
      JsSocket socket = connect(cut, "di");
      JsChannel room = socket.channel(topic);
      joinWithPositions(room, cut);
      b.server.endpoint.broadcast(topic, "msg", Map.of("n", 0));
      room.awaitMessage("msg", WAIT);

      toRedis.hold();
      toRedis.drop(); // the node's connections to Redis break; the client's to the node does not
      assertThat(room.awaitEvent("channelError", WAIT).path("reason").toString()).contains("resync");
      for (int n = 1; n <= 10; n++) { // recorded in Redis by node b; node rec-cut cannot hear them
        b.server.endpoint.broadcast(topic, "msg", Map.of("n", n));
      }
      toRedis.release();
      JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
      while (!rejoin.get("recovered").booleanValue() && rejoin.path("reason").stringValue().equals("unavailable")) {
        rejoin = room.awaitEvent("recovery", WAIT).path("recovery"); // rejoined while Redis was still away
      }
      assertThat(rejoin.get("recovered").booleanValue()).as("%s", rejoin).isTrue();
      b.server.endpoint.broadcast(topic, "fence", Map.of());
      room.awaitMessage("fence", WAIT);
      assertThat(numbers(room)).isEqualTo(range(0, 10));
      socket.disconnect();
    }
  }
}
