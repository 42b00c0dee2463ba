package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.SocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A long-poll client that stops polling while the server broadcasts past {@code maxQueuedBytes}: its session
 * follows the slow-consumer policy like a WebSocket does. DROP keeps the session and the frames that fit;
 * CLOSE ends it, and the client's next poll is told its session is gone (410).
 */
class LongPollSlowConsumerTest {
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final int BOUND = 16 * 1024;
  private static final int FRAMES = 100; // about 100 KB: far past the bound
  private static final String FILLER = "x".repeat(1000);

  /** Every tick's frame has the same length: {@code i} is zero-padded. */
  record Tick(String i, String filler) {}

  private static TestServer server(SlowConsumerPolicy policy) {
    // A 5 s window: the stalled session is not swept as idle while the test runs.
    return new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofSeconds(5))
        .maxQueuedBytes(BOUND).slowConsumerPolicy(policy));
  }

  /** A session joined to test:lpstorm with nothing buffered; returns its token. */
  private static String joinedSession(LongPollHttp http) {
    String token = http.open("stalled").body().get("token").stringValue();
    assertThat(http.post(token, "[\"1\",\"1\",\"test:lpstorm\",\"phx_join\",{}]").status()).isEqualTo(200);
    assertThat(http.poll(token).body().get("messages").get(0).stringValue()).contains("\"status\":\"ok\"");
    return token;
  }

  /** The length in bytes of one tick's frame, measured on a tick that the session then takes. */
  private static int tickFrameBytes(TestServer server, LongPollHttp http, String token) {
    server.endpoint.broadcast("test:lpstorm", "tick", new Tick("9999", FILLER));
    JsonNode probe = http.poll(token).body().get("messages");
    assertThat(probe.size()).isEqualTo(1);
    return probe.get(0).stringValue().getBytes(StandardCharsets.UTF_8).length;
  }

  private static void storm(TestServer server) {
    for (int i = 0; i < FRAMES; i++) {
      server.endpoint.broadcast("test:lpstorm", "tick", new Tick("%04d".formatted(i), FILLER));
    }
  }

  @Test
  void underTheDropPolicyTheSessionKeepsTheFramesThatFitAndCountsTheRest() {
    try (TestServer server = server(SlowConsumerPolicy.DROP)) {
      List<String> slowConsumerEvents = new CopyOnWriteArrayList<>();
      server.endpoint.telemetry().addListener(new dev.cinder.telemetry.TelemetryListener() {
        @Override
        public void slowConsumer(String transport, String action, long queuedBytes) {
          slowConsumerEvents.add(transport + ":" + action);
        }
      });
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      String token = joinedSession(http);
      int frameBytes = tickFrameBytes(server, http, token);
      int fit = BOUND / frameBytes;
      long dropsBefore = server.endpoint.telemetry().drops();

      storm(server); // the session does not poll meanwhile
      // Every tick is accounted for once the ones that did not fit are counted as dropped.
      await().atMost(WAIT).until(() -> server.endpoint.telemetry().drops() - dropsBefore == FRAMES - fit);

      LongPollHttp.Answer polled = http.poll(token);
      assertThat(polled.httpStatus()).isEqualTo(200);
      assertThat(polled.status()).isEqualTo(200);
      JsonNode messages = polled.body().get("messages");
      assertThat(messages.size()).isEqualTo(fit);
      for (int i = 0; i < fit; i++) {
        assertThat(messages.get(i).stringValue()).startsWith("[null,null,\"test:lpstorm\",\"tick\",{\"i\":\"%04d\",".formatted(i));
      }
      assertThat(server.endpoint.telemetry().slowConsumerCloses()).isZero();
      assertThat(slowConsumerEvents).hasSize(FRAMES - fit).containsOnly("longpoll:drop");
      // The session survives, and nothing else was left in it (the heartbeat's reply is all the next poll brings).
      assertThat(http.answersAHeartbeat(token)).isTrue();
      assertThat(server.endpoint.longPollSessionCount()).isEqualTo(1);
    }
  }

  @Test
  void underTheClosePolicyTheSessionEndsAndTheNextPollIsToldItIsGone() {
    try (TestServer server = server(SlowConsumerPolicy.CLOSE)) {
      LongPollHttp http = new LongPollHttp(server.endpoint.port());
      String token = joinedSession(http);

      storm(server); // the session does not poll meanwhile
      await().atMost(WAIT).until(() -> server.endpoint.telemetry().slowConsumerCloses() == 1);
      await().atMost(WAIT).until(() -> server.socket.terminations.contains("test:lpstorm:SOCKET_CLOSED"));

      // As phoenix.js expects: HTTP 200, status 410 in the body. Holding a token, the official client
      // then closes with 3410 ("session_gone"), reconnects and rejoins.
      LongPollHttp.Answer polled = http.poll(token);
      assertThat(polled.httpStatus()).isEqualTo(200);
      assertThat(polled.status()).isEqualTo(410);
      assertThat(polled.body().get("messages").size()).isZero();
      assertThat(server.endpoint.longPollSessionCount()).isZero();
      assertThat(server.endpoint.telemetry().drops()).isPositive();
      // The client's reconnect gets a fresh session.
      assertThat(http.open("stalled").status()).isEqualTo(410);
    }
  }
}
