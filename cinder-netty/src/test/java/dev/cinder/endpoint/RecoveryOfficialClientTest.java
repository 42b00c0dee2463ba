package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJsExtension;
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
 * History and recovery with the official phoenix client and Cinder's recovery helper (cinder-js/recovery.mjs): a
 * client whose connection drops gets every broadcast it missed, in order and once, before live ones, or is told
 * that it cannot; a client that does not ask sees today's frames.
 */
class RecoveryOfficialClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestServer server;
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  @BeforeAll
  static void start() {
    server = new TestServer(dev.cinder.SocketOptions.defaults());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private JsSocket connect(String user) {
    return js.connect(server.socketUrl(), JsSocketOptions.create().params(Map.of("user", user))
        .reconnectAfter(Duration.ofMillis(200)).rejoinAfter(Duration.ofMillis(200)));
  }

  /** Joins asking for positions; returns the epoch the first join's reply names. */
  private static String joinWithPositions(JsChannel room) {
    room.joinRecovering(Map.of());
    return room.awaitEvent("recovery", WAIT).path("recovery").path("position").stringValue().split(":")[0];
  }

  /** Drops the client's connection and waits until the server has let go of its channel on {@code topic}. */
  private static void dropAndAwaitGone(JsSocket socket, String topic) {
    socket.drop();
    await().atMost(WAIT).until(() -> server.endpoint.pubSub().subscriberCount(topic) == 0);
  }

  @Test
  void aDroppedClientGetsEveryMissedBroadcastInOrderOnceThenLiveOnes() {
    String topic = "history:drop";
    JsSocket socket = connect("rae");
    JsChannel room = socket.channel(topic);
    JsReply joined = room.joinRecovering(Map.of());
    JsonNode first = joined.response().get("recovery");
    assertThat(first.get("recovered").booleanValue()).isFalse();
    assertThat(first.get("reason").stringValue()).isEqualTo("no_position");
    String epoch = first.get("position").stringValue().split(":")[0];
    assertThat(first.get("position").stringValue()).isEqualTo(epoch + ":0");
    assertThat(room.awaitEvent("recovery", WAIT).path("recovery").path("recovered").booleanValue()).isFalse();

    server.endpoint.broadcast(topic, "msg", Map.of("n", 0));
    assertThat(room.awaitMessage("msg", WAIT).ref()).isEqualTo(epoch + ":1");

    dropAndAwaitGone(socket, topic);
    for (int n = 1; n <= 100; n++) {
      server.endpoint.broadcast(topic, "msg", Map.of("n", n));
    }
    JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
    assertThat(rejoin.get("recovered").booleanValue()).as("%s", rejoin).isTrue();
    assertThat(rejoin.get("position").stringValue()).isEqualTo(epoch + ":101");
    assertThat(rejoin.has("reason")).isFalse();

    server.endpoint.broadcast(topic, "fence", Map.of());
    JsMessage fence = room.awaitMessage("fence", WAIT);
    assertThat(fence.ref()).isEqualTo(epoch + ":102");
    // The channel pushed its full state after the first join only: the rejoin recovered (ctx.recovered()). The
    // echo runs on the channel after the rejoin's handleInfo, so its reply comes after any push of it.
    room.push("echo", Map.of());
    assertThat(room.messages()).filteredOn(m -> m.event().equals("state")).hasSize(1);
    List<Integer> numbers = new ArrayList<>();
    List<String> refs = new ArrayList<>();
    for (JsMessage message : room.messages()) {
      if (message.event().equals("msg")) {
        numbers.add(message.payload().get("n").intValue());
        refs.add(message.ref());
      }
    }
    List<Integer> expected = new ArrayList<>();
    List<String> expectedRefs = new ArrayList<>();
    for (int n = 0; n <= 100; n++) {
      expected.add(n);
      expectedRefs.add(epoch + ":" + (n + 1));
    }
    assertThat(numbers).isEqualTo(expected);
    assertThat(refs).isEqualTo(expectedRefs);
    socket.disconnect();
  }

  @Test
  void broadcastsSentWhileTheClientIsRejoiningArriveOnceAndInOrder() {
    String topic = "history:busy";
    JsSocket socket = connect("sal");
    JsChannel room = socket.channel(topic);
    room.joinRecovering(Map.of());
    dropAndAwaitGone(socket, topic);
    // Broadcast every millisecond or so while the client reconnects and rejoins (the history keeps 500, more than
    // are sent): each lands in the replay, among the live ones held meanwhile, or both; the client must see each
    // exactly once either way.
    int sent = 0;
    while (server.endpoint.pubSub().subscriberCount(topic) == 0 && sent < 400) {
      server.endpoint.broadcast(topic, "msg", Map.of("n", sent++));
      sleepQuietly(Duration.ofMillis(1));
    }
    for (int i = 0; i < 50; i++) {
      server.endpoint.broadcast(topic, "msg", Map.of("n", sent++));
    }
    server.endpoint.broadcast(topic, "fence", Map.of());
    room.awaitMessage("fence", WAIT);
    JsonNode rejoin = room.awaitEvent("recovery", WAIT); // the first join's
    rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
    assertThat(rejoin.get("recovered").booleanValue()).as("%s", rejoin).isTrue();
    List<Integer> numbers = new ArrayList<>();
    for (JsMessage message : room.messages()) {
      if (message.event().equals("msg")) {
        numbers.add(message.payload().get("n").intValue());
      }
    }
    List<Integer> expected = new ArrayList<>();
    for (int n = 0; n < sent; n++) {
      expected.add(n);
    }
    assertThat(numbers).isEqualTo(expected);
    socket.disconnect();
  }

  @Test
  void aPositionOlderThanTheHistoryIsAnExplicitFailureNeverAGap() {
    String topic = "brief:old";
    JsSocket socket = connect("tom");
    JsChannel room = socket.channel(topic);
    room.joinRecovering(Map.of());
    room.awaitEvent("recovery", WAIT);
    room.awaitMessage("state", WAIT); // the first join's, before the connection drops
    dropAndAwaitGone(socket, topic);
    for (int n = 1; n <= 20; n++) { // the route keeps 10
      server.endpoint.broadcast(topic, "msg", Map.of("n", n));
    }
    JsonNode rejoin = room.awaitEvent("recovery", WAIT).path("recovery");
    assertThat(rejoin.get("recovered").booleanValue()).isFalse();
    assertThat(rejoin.get("reason").stringValue()).isEqualTo("too_old");
    assertThat(rejoin.get("position").stringValue()).endsWith(":20");
    server.endpoint.broadcast(topic, "fence", Map.of());
    room.awaitMessage("fence", WAIT);
    assertThat(room.messages()).extracting(JsMessage::event).doesNotContain("msg");
    // A failed recovery is a join like the first: the channel pushes its full state again.
    room.push("echo", Map.of());
    assertThat(room.messages()).as("%s", room.events()).filteredOn(m -> m.event().equals("state")).hasSize(2);
    socket.disconnect();
  }

  @Test
  void aPositionOfAnotherEpochOrNoneAtAllIsAnswered() {
    JsSocket socket = connect("uma");
    JsReply foreign = socket.channel("history:foreign").join(Map.of("recover", "zzzzzzzz:5"));
    assertThat(foreign.response().get("recovery").get("reason").stringValue()).isEqualTo("epoch_changed");
    JsReply garbage = socket.channel("history:garbage").join(Map.of("recover", "not a position"));
    assertThat(garbage.response().get("recovery").get("reason").stringValue()).isEqualTo("malformed_position");
    JsReply notKept = socket.channel("test:plain").join(Map.of("recover", true));
    assertThat(notKept.response().has("recovery")).as("a topic without history says nothing").isFalse();
    socket.disconnect();
  }

  @Test
  void interceptedBroadcastsCarryTheirPositionThroughHandleOut() {
    String topic = "history:shouts";
    JsSocket socket = connect("val");
    JsChannel room = socket.channel(topic);
    String epoch = joinWithPositions(room);
    server.endpoint.broadcast(topic, "shout", Map.of("text", "hey"));
    JsMessage shout = room.awaitMessage("shout", WAIT);
    assertThat(shout.joinRef()).isEqualTo(room.joinRef());
    assertThat(shout.ref()).isEqualTo(epoch + ":1");
    dropAndAwaitGone(socket, topic);
    server.endpoint.broadcast(topic, "shout", Map.of("text", "missed"));
    assertThat(room.awaitEvent("recovery", WAIT).path("recovery").path("recovered").booleanValue()).isTrue();
    JsMessage missed = room.awaitMessage("shout", WAIT);
    assertThat(missed.ref()).isEqualTo(epoch + ":2");
    assertThat(missed.payload().get("text").stringValue()).isEqualTo("missed");
    assertThat(missed.payload().get("seen_by").stringValue()).isEqualTo("val");
    socket.disconnect();
  }

  @Test
  void interceptedAndFastlaneBroadcastsReachAClientWithPositionsInPositionOrder() {
    // Otherwise a fastlane broadcast overtakes an intercepted one still in handleOut, and a client whose connection
    // dropped then would recover from past a broadcast it never got.
    String topic = "history:mixed";
    JsSocket socket = connect("wil");
    JsChannel room = socket.channel(topic);
    String epoch = joinWithPositions(room);
    for (int i = 0; i < 20; i++) {
      server.endpoint.broadcast(topic, "shout", Map.of("text", "s" + i)); // intercepted: through handleOut
      server.endpoint.broadcast(topic, "msg", Map.of("n", i)); // not intercepted
    }
    server.endpoint.broadcast(topic, "fence", Map.of());
    room.awaitMessage("fence", WAIT);
    List<String> expected = new ArrayList<>();
    for (int offset = 1; offset <= 41; offset++) {
      expected.add(epoch + ":" + offset);
    }
    assertThat(room.messages()).filteredOn(m -> List.of("shout", "msg", "fence").contains(m.event()))
        .extracting(JsMessage::ref).isEqualTo(expected);
    socket.disconnect();
  }

  @Test
  void aSenderSkippedByBroadcastFromGetsThePositionOnlyAndNoReplayOfItsOwnBroadcast() {
    String topic = "history:from";
    JsSocket socket = connect("xan");
    JsChannel room = socket.channel(topic);
    String epoch = joinWithPositions(room);
    room.push("broadcast_from", Map.of("event", "gossip", "payload", Map.of("n", 1)));
    JsMessage skipped = room.awaitMessage("phx_position", WAIT);
    assertThat(skipped.ref()).isEqualTo(epoch + ":1");
    assertThat(skipped.payload().size()).isZero();
    dropAndAwaitGone(socket, topic);
    server.endpoint.broadcast(topic, "msg", Map.of("n", 2));
    assertThat(room.awaitEvent("recovery", WAIT).path("recovery").path("recovered").booleanValue()).isTrue();
    server.endpoint.broadcast(topic, "fence", Map.of());
    room.awaitMessage("fence", WAIT);
    assertThat(room.messages()).extracting(JsMessage::event).as("its own gossip is not replayed to it")
        .doesNotContain("gossip").contains("msg");
    socket.disconnect();
  }

  @Test
  void aClientThatDoesNotAskSeesTheSameFramesAsOnATopicWithoutHistory() throws Exception {
    try (RawWebSocket kept = RawWebSocket.connect(server.wsUrl("user=wes&vsn=2.0.0"));
        RawWebSocket plain = RawWebSocket.connect(server.wsUrl("user=xia&vsn=2.0.0"))) {
      kept.sendText("[\"1\",\"1\",\"history:same\",\"phx_join\",{}]");
      plain.sendText("[\"1\",\"1\",\"test:same\",\"phx_join\",{}]");
      assertThat(kept.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"history:same\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      assertThat(plain.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"test:same\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      // The test channel's own push after a join that recovered nothing (as for every join of a client that
      // does not ask): no ref.
      assertThat(kept.nextText(WAIT)).isEqualTo("[\"1\",null,\"history:same\",\"state\",{\"full\":true}]");
      server.endpoint.broadcast("history:same", "msg", Map.of("n", 1));
      server.endpoint.broadcast("test:same", "msg", Map.of("n", 1));
      assertThat(kept.nextText(WAIT)).isEqualTo("[null,null,\"history:same\",\"msg\",{\"n\":1}]");
      assertThat(plain.nextText(WAIT)).isEqualTo("[null,null,\"test:same\",\"msg\",{\"n\":1}]");
    }
  }

  private static void sleepQuietly(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
