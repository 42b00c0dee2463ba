package dev.cinder.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The driver and its command channel, without any server: only refused connections. */
class PhoenixJsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static PhoenixJs js;
  private static String closedUrl;

  @BeforeAll
  static void start() throws IOException {
    js = PhoenixJs.start();
    closedUrl = "ws://127.0.0.1:" + closedPort() + "/socket";
  }

  @AfterAll
  static void stop() {
    js.close();
  }

  @Test
  void runsTheOfficialClient() {
    assertThat(js.versions().path("phoenix").asString()).isEqualTo("1.8.16");
    assertThat(js.versions().path("node").asString()).startsWith("v");
  }

  @Test
  void connectFailsAfterTheOpenTimeoutAndSaysWhatHappened() {
    var options = JsSocketOptions.create().openTimeout(Duration.ofMillis(500));

    assertThatThrownBy(() -> js.connect(closedUrl, options))
        .isInstanceOf(PhoenixJsException.class)
        .hasMessageContaining("did not open within 500 ms")
        .hasMessageContaining("ECONNREFUSED")
        .hasMessageContaining("\"code\":1006");
  }

  @Test
  void refusedWebSocketReportsErrorThenAbruptClose() {
    var socket = js.connect(closedUrl, JsSocketOptions.create().awaitOpen(false).params(Map.of("token", "abc")));

    assertThat(socket.awaitError(WAIT)).contains("ECONNREFUSED");
    assertThat(socket.awaitClose(WAIT)).isEqualTo(1006);
    var state = socket.state();
    assertThat(state.path("transport").asString()).isEqualTo("WebSocket");
    assertThat(state.path("connected").asBoolean()).isFalse();
    assertThat(state.path("connectionState").asString()).isIn("connecting", "closed");
    socket.disconnect();
  }

  @Test
  void refusedLongPollReportsItsOwnCloseCode() {
    var socket = js.connect(closedUrl, JsSocketOptions.create().awaitOpen(false).transport(JsTransport.LONGPOLL));

    assertThat(socket.awaitClose(WAIT)).isEqualTo(1011); // fetch failed: "internal server error"
    assertThat(socket.transport()).isEqualTo("LongPoll");
    socket.disconnect();
  }

  @Test
  void fallsBackToLongPollWhenTheWebSocketFails() {
    var socket = js.connect(closedUrl, JsSocketOptions.create().awaitOpen(false)
        .longPollFallback(Duration.ofMillis(200)).reconnectAfter(Duration.ofSeconds(10)));

    assertThat(socket.awaitError(WAIT)).contains("ECONNREFUSED");
    assertThat(socket.awaitClose(WAIT)).isEqualTo(1011); // the long-poll's close, not the WebSocket's 1006
    assertThat(socket.transport()).isEqualTo("LongPoll");
    socket.disconnect();
  }

  @Test
  void joinAndPushOnASocketThatNeverOpens() {
    var socket = js.connect(closedUrl, JsSocketOptions.create().awaitOpen(false));
    var room = socket.channel("room:1");

    assertThatThrownBy(() -> room.push("new_msg", Map.of()))
        .isInstanceOf(PhoenixJsException.class).hasMessageContaining("has not joined room:1");
    assertThatThrownBy(() -> room.join(Map.of(), Duration.ofMillis(300)))
        .isInstanceOf(PhoenixJsException.class).hasMessageContaining("no phx_join reply within 1300 ms");
    assertThat(room.state()).isIn("joining", "errored");
    // The push is buffered until a join succeeds, so the client's own timeout answers.
    assertThat(room.push("new_msg", Map.of("body", "hi"), Duration.ofMillis(200)).status()).isEqualTo("timeout");
    assertThat(room.awaitEvent("channelError", WAIT).path("reason").path("source").asString()).isEqualTo("transport");
    assertThatThrownBy(socket::ping).hasMessageContaining("not connected");
    assertThat(room.leave().status()).isEqualTo("ok"); // not connected: the client closes at once
    assertThat(room.awaitEvent("channelClose", WAIT).path("reason").asString()).isEqualTo("leave");
    // The driver answers a call after every event it emitted before: nothing the leave caused is still on its way.
    assertThat(room.state()).isEqualTo("closed");
    room.assertNoMessage("phx_reply", Duration.ZERO);
    assertThat(room.messages()).isEmpty();
    socket.disconnect();
  }

  @Test
  void waitsFailWithWhatArrived() {
    var socket = js.connect(closedUrl, JsSocketOptions.create().awaitOpen(false).reconnectAfter(Duration.ofSeconds(10)));
    socket.awaitClose(WAIT);

    assertThatThrownBy(() -> socket.awaitOpen(Duration.ofMillis(100)))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("expected an open on socket " + socket.name() + " within 100 ms")
        .hasMessageContaining("(consumed) {\"type\":\"close\"");
    socket.disconnect();
  }

  @Test
  void unknownSocketsAndCommandsAreErrors() {
    assertThatThrownBy(() -> js.call("state", PhoenixJs.args().put("socket", "nope")))
        .isInstanceOf(PhoenixJsException.class).hasMessageContaining("no socket named nope");
    assertThatThrownBy(() -> js.call("frobnicate", PhoenixJs.args()))
        .isInstanceOf(PhoenixJsException.class).hasMessageContaining("unknown command frobnicate");
    assertThatThrownBy(() -> js.connect("/socket", JsSocketOptions.create().awaitOpen(false)))
        .isInstanceOf(PhoenixJsException.class).hasMessageContaining("url must be absolute");
    js.assertNoDriverErrors();
  }

  @Test
  void exitEndsTheProcessAndCloseLeavesNothingBehind() throws Exception {
    var own = PhoenixJs.start();
    ProcessHandle node = own.process();
    own.connect(closedUrl, JsSocketOptions.create().awaitOpen(false)); // a live socket must not keep node up

    own.call("exit", PhoenixJs.args());

    node.onExit().get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> own.call("state", PhoenixJs.args())).isInstanceOf(PhoenixJsException.class);
    own.close();
    assertThat(node.isAlive()).isFalse();
  }

  @Test
  void closeKillsTheDriver() {
    var own = PhoenixJs.start();
    ProcessHandle node = own.process();
    own.connect(closedUrl, JsSocketOptions.create().awaitOpen(false).transport(JsTransport.LONGPOLL));

    own.close();
    own.close();

    assertThat(node.isAlive()).isFalse();
    assertThat(node.descendants()).isEmpty();
  }

  @Test
  void aDeadDriverFailsCallsAndWaitsAtOnce() throws Exception {
    var own = PhoenixJs.start();
    var socket = own.connect(closedUrl, JsSocketOptions.create().awaitOpen(false).reconnectAfter(Duration.ofSeconds(10)));
    socket.awaitClose(WAIT);

    own.process().destroyForcibly();
    own.process().onExit().get(5, TimeUnit.SECONDS);

    assertThatThrownBy(socket::state).isInstanceOf(PhoenixJsException.class).hasMessageContaining("the node driver exited");
    // "gone", not "within 30000 ms": the wait ended because the driver died, not at its timeout.
    assertThatThrownBy(() -> socket.awaitOpen(Duration.ofSeconds(30))).hasMessageContaining("the driver is gone")
        .hasMessageNotContaining("within");
    own.close();
  }

  @Test
  void missingNodeModulesAreReportedWithTheFix(@TempDir Path dir) throws IOException {
    Path driver = Files.writeString(dir.resolve("driver.mjs"), "");

    assertThatThrownBy(() -> PhoenixJs.start(driver))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("npm package phoenix is not installed")
        .hasMessageContaining("npm ci");
  }

  private static int closedPort() throws IOException {
    try (var socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
