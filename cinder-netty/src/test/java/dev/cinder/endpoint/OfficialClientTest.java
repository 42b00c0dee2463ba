package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The framework driven by the official phoenix npm client (1.8.16) under Node, over real sockets. */
class OfficialClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
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
    return js.connect(server.socketUrl(), Map.of("user", user));
  }

  @Test
  void aRefusedConnectIsA403AndTheClientKeepsRetrying() {
    JsSocket socket = js.connect(server.socketUrl(),
        JsSocketOptions.create().params(Map.of("user", "refuse")).awaitOpen(false));
    assertThat(socket.awaitError(WAIT)).contains("403");
    socket.disconnect();
  }

  @Test
  void joinOkWithResponseThenAPushFromHandleInfo() {
    JsChannel welcome = connect("ann").channel("test:welcome");
    JsReply reply = welcome.join();
    assertThat(reply.status()).isEqualTo("ok");
    assertThat(reply.response().get("hello").stringValue()).isEqualTo("ann");
    JsMessage pushed = welcome.awaitMessage("welcome", WAIT);
    assertThat(pushed.payload().get("user").stringValue()).isEqualTo("ann");
    assertThat(pushed.joinRef()).isEqualTo(welcome.joinRef());
    assertThat(pushed.ref()).isNull();
  }

  @Test
  void refusedCrashedAndUnmatchedJoins() {
    JsSocket socket = connect("bea");
    JsChannel secret = socket.channel("test:private");
    JsReply refused = secret.join();
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("unauthorized");
    secret.leave();
    JsChannel crashing = socket.channel("test:crash_join");
    assertThat(crashing.join().response().get("reason").stringValue()).isEqualTo("join crashed");
    crashing.leave();
    JsChannel nowhere = socket.channel("elsewhere:1");
    assertThat(nowhere.join().response().get("reason").stringValue()).isEqualTo("unmatched topic");
    nowhere.leave();
  }

  @Test
  void pushAndReplyOkErrorAndLater() {
    JsChannel room = connect("cid").channel("test:replies");
    room.join();
    JsReply echo = room.push("echo", Map.of("n", 7, "s", "héllo ✓"));
    assertThat(echo.status()).isEqualTo("ok");
    assertThat(echo.response().get("n").intValue()).isEqualTo(7);
    assertThat(echo.response().get("s").stringValue()).isEqualTo("héllo ✓");
    JsReply failed = room.push("fail", Map.of());
    assertThat(failed.status()).isEqualTo("error");
    assertThat(failed.response().get("reason").stringValue()).isEqualTo("as asked");
    JsReply later = room.push("reply_later", Map.of());
    assertThat(later.status()).isEqualTo("ok");
    assertThat(later.response().get("later").booleanValue()).isTrue();
    assertThat(room.push("nonsense", Map.of()).response().get("reason").stringValue()).isEqualTo("unknown_event");
  }

  @Test
  void binaryPingComesBackAsBinary() {
    JsChannel room = connect("dee").channel("test:binary");
    room.join();
    byte[] data = {0, 1, 2, (byte) 0xff, 10, 13};
    JsReply reply = room.pushBinary("echo", data);
    assertThat(reply.status()).isEqualTo("ok");
    assertThat(reply.binary()).containsExactly(data);
  }

  @Test
  void broadcastReachesEveryClientAndBroadcastFromSkipsOnlyTheSender() {
    JsChannel a = connect("eve").channel("test:fanout");
    JsChannel b = connect("fay").channel("test:fanout");
    JsChannel c = connect("gus").channel("test:fanout");
    a.join();
    b.join();
    c.join();
    a.push("broadcast", Map.of("event", "news", "payload", Map.of("n", 1)));
    for (JsChannel ch : new JsChannel[] {a, b, c}) {
      JsMessage news = ch.awaitMessage("news", WAIT);
      assertThat(news.payload().get("n").intValue()).isEqualTo(1);
      assertThat(news.joinRef()).isNull();
      assertThat(news.ref()).isNull();
    }
    a.push("broadcast_from", Map.of("event", "gossip", "payload", Map.of("n", 2)));
    assertThat(b.awaitMessage("gossip", WAIT).payload().get("n").intValue()).isEqualTo(2);
    assertThat(c.awaitMessage("gossip", WAIT).payload().get("n").intValue()).isEqualTo(2);
    // a's channel handles pushes in order and broadcast_from handed out gossip before it returned: a later echo
    // comes back after anything it sent a.
    assertThat(a.push("echo", Map.of("x", "fence")).response().get("x").stringValue()).isEqualTo("fence");
    a.assertNoMessage("gossip", Duration.ZERO);
    // A broadcast from outside any channel, through the endpoint.
    server.endpoint.broadcast("test:fanout", "from_server", Map.of("n", 3));
    assertThat(c.awaitMessage("from_server", WAIT).payload().get("n").intValue()).isEqualTo(3);
  }

  @Test
  void interceptedEventsAreChangedPerRecipient() {
    JsChannel a = connect("hal").channel("test:intercept");
    JsChannel b = connect("ida").channel("test:intercept");
    a.join();
    b.join();
    a.push("broadcast", Map.of("event", "shout", "payload", Map.of("text", "hey")));
    JsMessage atA = a.awaitMessage("shout", WAIT);
    JsMessage atB = b.awaitMessage("shout", WAIT);
    assertThat(atA.payload().get("seen_by").stringValue()).isEqualTo("hal");
    assertThat(atB.payload().get("seen_by").stringValue()).isEqualTo("ida");
    assertThat(atA.joinRef()).isEqualTo(a.joinRef()); // a push from handleOut, not a fastlane frame
  }

  @Test
  void aCrashedChannelSendsPhxErrorAndTheClientRejoins() {
    JsChannel room = js.connect(server.socketUrl(),
        JsSocketOptions.create().params(Map.of("user", "jon")).rejoinAfter(Duration.ofMillis(100))).channel("test:crashy");
    room.join();
    String firstJoinRef = room.joinRef();
    room.pushNoReply("crash", Map.of());
    JsMessage error = room.awaitMessage("phx_error", WAIT);
    assertThat(error.payload().get("reason").stringValue()).isEqualTo("channel_crash");
    assertThat(server.socket.terminations).contains("test:crashy:CRASHED");
    await().atMost(WAIT).until(() -> "joined".equals(room.state()) && !firstJoinRef.equals(room.joinRef()));
    assertThat(room.push("echo", Map.of("back", true)).status()).isEqualTo("ok");
  }

  @Test
  void stopClosesTheChannelAfterTheReply() {
    JsChannel room = connect("kim").channel("test:stoppable");
    room.join();
    JsReply reply = room.push("stop", Map.of());
    assertThat(reply.response().get("stopping").booleanValue()).isTrue();
    room.awaitMessage("phx_close", WAIT);
    await().atMost(WAIT).until(() -> "closed".equals(room.state()));
    assertThat(server.socket.terminations).contains("test:stoppable:STOPPED");
  }

  @Test
  void leaveRunsTerminate() {
    JsChannel room = connect("lea").channel("test:leaving");
    room.join();
    assertThat(room.leave().status()).isEqualTo("ok");
    await().atMost(WAIT).until(() -> server.socket.terminations.contains("test:leaving:LEFT"));
  }

  @Test
  void socketIdDisconnectClosesEverySocketOfThatIdAndTheyReconnect() {
    JsSocket first = connect("max");
    JsSocket second = connect("max");
    JsSocket other = connect("ned");
    JsChannel room = first.channel("test:dc");
    room.join();
    server.endpoint.broadcast("test_socket:max", "disconnect", Map.of());
    assertThat(first.awaitClose(WAIT)).isEqualTo(1001);
    assertThat(second.awaitClose(WAIT)).isEqualTo(1001);
    // The broadcast closed max's sockets before it returned; a heartbeat answered afterwards proves ned's is open.
    other.ping();
    other.assertNoClose(Duration.ZERO);
    first.awaitOpen(WAIT); // the official client reconnects after 1001 and rejoins
    await().atMost(WAIT).until(() -> "joined".equals(room.state()));
    assertThat(server.socket.terminations).contains("test:dc:SOCKET_CLOSED");
  }

  @Test
  void heartbeatsAreAnswered() {
    JsSocket socket = connect("oli");
    assertThat(socket.ping()).isGreaterThanOrEqualTo(0);
  }

  @Test
  void authTokenOptionAuthenticatesWithoutQueryParams() {
    JsSocket socket = js.connect(server.socketUrl(), JsSocketOptions.create().authToken("pam"));
    JsReply reply = socket.channel("test:welcome").join();
    assertThat(reply.response().get("hello").stringValue()).isEqualTo("pam");
  }
}
