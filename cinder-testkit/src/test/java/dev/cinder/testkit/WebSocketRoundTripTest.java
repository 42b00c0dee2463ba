package dev.cinder.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The whole kit against {@link MiniPhoenix}: what integration tests will do against a Cinder server. */
class WebSocketRoundTripTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static PhoenixJs js;
  private MiniPhoenix phoenix;
  private MiniWebSocketServer server;

  @BeforeAll
  static void startDriver() {
    js = PhoenixJs.start();
  }

  @AfterAll
  static void stopDriver() {
    js.assertNoDriverErrors();
    js.close();
  }

  @BeforeEach
  void startServer() throws IOException {
    phoenix = new MiniPhoenix();
    server = new MiniWebSocketServer(phoenix, handshake -> handshake.target().contains("refuse=1") ? 403 : 101);
  }

  @AfterEach
  void stopServer() throws IOException {
    server.close();
  }

  @Test
  void joinsPushesAndReceives() {
    var socket = js.connect(server.url(), Map.of("token", "abc", "user", Map.of("id", 7)));
    assertThat(server.handshakes.getFirst().target())
        .startsWith("/socket/websocket?").contains("token=abc", "user%5Bid%5D=7").endsWith("&vsn=2.0.0");
    var room = socket.channel("room:1");

    JsReply join = room.join(Map.of("since", 3));
    assertThat(join.isOk()).isTrue();
    assertThat(join.response().path("joined").asString()).isEqualTo("room:1");
    assertThat(room.state()).isEqualTo("joined");
    assertThat(room.push("echo", Map.of("body", "hi")).response().path("body").asString()).isEqualTo("hi");
    assertThat(room.push("weird", Map.of()).status()).isEqualTo("weird");
    assertThat(room.push("nope", Map.of()).status()).isEqualTo("error");

    room.pushNoReply("shout", Map.of("body", "all"));
    JsMessage shout = room.awaitMessage("shout", WAIT);
    assertThat(shout.payload().path("body").asString()).isEqualTo("all");
    assertThat(shout.joinRef()).isNull();
    room.pushNoReply("push_me", Map.of("n", 1));
    JsMessage pushed = room.awaitMessage(m -> m.event().equals("pushed") && m.payload().path("n").asInt() == 1, WAIT);
    assertThat(pushed.joinRef()).isEqualTo(room.joinRef()).isNotNull();
    assertThat(pushed.ref()).isNull();
    assertThat(room.messages()).extracting(JsMessage::event).startsWith("phx_reply").contains("shout", "pushed");
    // The mini server answers frames one at a time: a second shout would have come before "pushed".
    room.assertNoMessage("shout", Duration.ZERO);

    assertThat(socket.ping()).isNotNegative();
    assertThat(room.leave().status()).isEqualTo("ok");
    assertThat(room.awaitEvent("channelClose", WAIT).path("reason").asString()).isEqualTo("leave");
    // The mini server may record the leave just after answering it: wait for the record, not only the reply.
    org.awaitility.Awaitility.await().atMost(WAIT).untilAsserted(() -> assertThat(phoenix.received)
        .extracting(m -> m.get(3).asString())
        .containsSubsequence("phx_join", "echo", "shout", "push_me", "heartbeat", "phx_leave"));
    socket.disconnect(4000, "done");
    assertThat(socket.awaitClose(WAIT)).isEqualTo(4000);
  }

  @Test
  void binaryPushesRepliesAndBroadcasts() {
    var room = js.connect(server.url(), Map.of()).channel("room:bin");
    room.join();

    JsReply reply = room.pushBinary("upload", new byte[] {1, 2, 3});

    assertThat(reply.status()).isEqualTo("ok");
    assertThat(reply.binary()).containsExactly(1, 2, 3);
    JsMessage img = room.awaitMessage("img", WAIT);
    assertThat(img.isBinary()).isTrue();
    assertThat(img.binary()).containsExactly(1, 2, 3);
    assertThat(img.joinRef()).isNotNull();
    assertThat(room.awaitMessage("bcast", WAIT).binary()).containsExactly(1, 2, 3);
    JsMessage binaryReply = room.awaitMessage(m -> m.event().equals("phx_reply") && m.payload().path("response").has("binaryBase64"), WAIT);
    assertThat(binaryReply.payload().path("status").asString()).isEqualTo("ok");
  }

  @Test
  void rejectedJoinIsRetriedByTheClient() {
    var socket = js.connect(server.url(), JsSocketOptions.create().rejoinAfter(Duration.ofMillis(50)));
    var room = socket.channel("room:secret");

    JsReply join = room.join(Map.of("reject", true));

    assertThat(join.status()).isEqualTo("error");
    assertThat(join.response().path("reason").asString()).isEqualTo("unauthorized");
    room.awaitMessage(m -> m.event().equals("phx_reply"), WAIT);
    room.awaitMessage(m -> m.event().equals("phx_reply"), WAIT); // the client's own rejoin, 50 ms later
    room.leave();
  }

  @Test
  void serverCloseIsReportedAndTheClientComesBack() {
    var socket = js.connect(server.url(), JsSocketOptions.create().reconnectAfter(Duration.ofMillis(20)));
    var room = socket.channel("room:1");
    room.join();

    room.pushNoReply("close_me", Map.of("code", 1001));

    assertThat(socket.awaitClose(WAIT)).isEqualTo(1001);
    assertThat(room.awaitEvent("channelError", WAIT).path("reason").path("reason").asString()).isEqualTo("connection_closed");
    socket.awaitOpen(WAIT);
    String firstJoin = room.messages().getFirst().joinRef(); // the join reply

    JsMessage rejoined = room.awaitMessage(m -> m.event().equals("phx_reply") && !m.joinRef().equals(firstJoin), WAIT);
    assertThat(rejoined.payload().path("status").asString()).isEqualTo("ok");
    assertThat(room.state()).isEqualTo("joined");
    assertThat(server.handshakes).hasSize(2);
  }

  @Test
  void presenceListsFollowStateAndDiffs() {
    var lobby = js.connect(server.url(), Map.of()).channel("presence:lobby").trackPresence();
    lobby.join();

    var list = lobby.awaitPresenceSync(l -> l.size() == 2, WAIT);

    assertThat(list.get(0).path("metas").get(0).path("phx_ref").asString()).isEqualTo("A");
    assertThat(lobby.awaitEvent("presenceJoin", WAIT).path("key").asString()).isEqualTo("u1");
  }

  @Test
  void authTokenOriginAndRefusal() {
    js.connect(server.url(), JsSocketOptions.create().authToken("my secret").headers(Map.of("Origin", "http://example.com")));
    var headers = server.handshakes.getFirst().headers();
    assertThat(headers.get("sec-websocket-protocol")).isEqualTo("phoenix,base64url.bearer.phx.bXkgc2VjcmV0");
    assertThat(headers.get("origin")).isEqualTo("http://example.com");

    var refused = js.connect(server.url(), JsSocketOptions.create().params(Map.of("refuse", 1)).awaitOpen(false));
    assertThat(refused.awaitError(WAIT)).contains("Unexpected server response: 403");
    assertThat(refused.awaitClose(WAIT)).isEqualTo(1006);
    refused.disconnect();
  }
}
