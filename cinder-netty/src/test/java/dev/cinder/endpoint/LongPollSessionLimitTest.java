package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.telemetry.TelemetryListener;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Long-poll sessions are capped per socket id, per client address and per mount: a handshake past a cap is
 * refused with {@code {"status":403}} (and counted), the sessions already open keep working, and a session
 * that ends frees its slot. All requests here come from 127.0.0.1, so each test has its own server.
 */
class LongPollSessionLimitTest {
  private static final Duration WAIT = Duration.ofSeconds(8);

  /** A long-poll server with a 5 s window (no session is swept as idle while a test runs) and some caps. */
  private static TestServer server(UnaryOperator<SocketOptions> caps) {
    return new TestServer(caps.apply(SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofSeconds(5))));
  }

  /** Counts the refusals that telemetry reports. */
  private static AtomicInteger refusals(TestServer server) {
    AtomicInteger refused = new AtomicInteger();
    server.endpoint.telemetry().addListener(new TelemetryListener() {
      @Override
      public void transportError(String transport, String kind) {
        if (transport.equals("longpoll") && kind.equals("too_many_sessions")) {
          refused.incrementAndGet();
        }
      }
    });
    return refused;
  }

  private static String opened(LongPollHttp.Answer answer) {
    assertThat(answer.httpStatus()).isEqualTo(200);
    assertThat(answer.status()).isEqualTo(410);
    return answer.body().get("token").stringValue();
  }

  private static void assertRefused(LongPollHttp.Answer answer) {
    assertThat(answer.httpStatus()).isEqualTo(200);
    assertThat(answer.status()).isEqualTo(403);
    assertThat(answer.body().has("token")).isFalse();
  }

  private static void disconnect(TestServer server, String user) {
    server.endpoint.broadcast("test_socket:" + user, "disconnect", Map.of());
  }

  @Test
  void sessionsOfOneSocketIdAreCapped() {
    try (TestServer server = server(o -> o.maxLongPollSessionsPerId(3))) {
      AtomicInteger refused = refusals(server);
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      List<String> tokens = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        tokens.add(opened(http.open("capped")));
      }
      assertRefused(http.open("capped"));
      assertRefused(http.open("capped"));
      assertThat(refused).hasValue(2);
      String other = opened(http.open("other")); // another id is not affected
      for (String token : tokens) {
        assertThat(http.answersAHeartbeat(token)).isTrue();
      }

      disconnect(server, "capped"); // ends its three sessions, freeing their slots
      await().atMost(WAIT).until(() -> server.endpoint.longPollSessionCount() == 1);
      assertThat(http.poll(tokens.getFirst()).status()).isEqualTo(410);
      String again = opened(http.open("capped"));
      assertThat(http.answersAHeartbeat(again)).isTrue();
      assertThat(http.answersAHeartbeat(other)).isTrue();
      assertThat(refused).hasValue(2);
    }
  }

  @Test
  void sessionsFromOneAddressAreCapped() {
    try (TestServer server = server(o -> o.maxLongPollSessionsPerAddress(3))) {
      AtomicInteger refused = refusals(server);
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      String first = opened(http.open("a1"));
      String second = opened(http.open("a2"));
      String third = opened(http.open("a3"));
      assertRefused(http.open("a4"));
      assertThat(refused).hasValue(1);

      disconnect(server, "a1"); // one slot frees; the other two sessions are untouched
      await().atMost(WAIT).until(() -> server.endpoint.longPollSessionCount() == 2);
      assertThat(http.poll(first).status()).isEqualTo(410);
      String fourth = opened(http.open("a4"));
      assertRefused(http.open("a5"));
      for (String token : List.of(second, third, fourth)) {
        assertThat(http.answersAHeartbeat(token)).isTrue();
      }
      assertThat(refused).hasValue(2);
    }
  }

  @Test
  void sessionsOfOneMountAreCappedInAll() {
    try (TestServer server = server(o -> o.maxLongPollSessions(2))) {
      AtomicInteger refused = refusals(server);
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      String first = opened(http.open("m1"));
      String second = opened(http.open("m2"));
      assertRefused(http.open("m3"));
      assertThat(refused).hasValue(1);
      disconnect(server, "m2");
      await().atMost(WAIT).until(() -> server.endpoint.longPollSessionCount() == 1);
      String third = opened(http.open("m3"));
      assertThat(http.answersAHeartbeat(first)).isTrue();
      assertThat(http.answersAHeartbeat(third)).isTrue();
      assertThat(http.poll(second).status()).isEqualTo(410);
    }
  }

  @Test
  void theOfficialClientClosesWith1008WhenRefusedAndConnectsOnceASlotFrees() {
    try (TestServer server = server(o -> o.maxLongPollSessionsPerId(1));
        PhoenixJs js = PhoenixJs.start()) {
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      String held = opened(http.open("js")); // takes the only slot of id test_socket:js
      JsSocket socket = js.connect(server.socketUrl(), JsSocketOptions.create().params(Map.of("user", "js"))
          .transport(JsTransport.LONGPOLL).awaitOpen(false));
      assertThat(socket.awaitClose(WAIT)).isEqualTo(1008); // LongPoll's close for a 403: "forbidden"
      assertThat(socket.connectionState()).isNotEqualTo("open");

      disconnect(server, "js"); // ends the held session; the client's next reconnect gets the slot
      socket.awaitOpen(WAIT);
      assertThat(http.poll(held).status()).isEqualTo(410);
      assertThat(socket.channel("test:js").join().status()).isEqualTo("ok");
      socket.disconnect();
      js.assertNoDriverErrors();
    }
  }
}
