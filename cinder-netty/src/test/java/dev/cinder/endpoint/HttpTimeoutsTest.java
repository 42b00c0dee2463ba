package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.http.HttpResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Connections that send too slowly, or nothing at all, are closed: 408 when part of a request came and
 * went unanswered, nothing when the client asked nothing. A held long-poll is never cut by these timers.
 * Timeouts are small here (300 ms for headers, 500 ms for a body, 400 ms keep-alive) to keep the test fast.
 */
class HttpTimeoutsTest {
  private static final Duration WINDOW = Duration.ofMillis(1200); // longer than every timeout below
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(WINDOW), b -> b
        .http(HttpOptions.defaults()
            .headerTimeout(Duration.ofMillis(300))
            .bodyTimeout(Duration.ofMillis(500))
            .keepAliveTimeout(Duration.ofMillis(400)))
        .post("/echo", r -> HttpResponse.text(200, "text/plain", r.bodyText())));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private RawHttp connect() throws IOException {
    return RawHttp.connect(server.endpoint.port());
  }

  /** Sends {@code text} one byte every 50 ms on a thread of its own, until stopped or the server hangs up. */
  private static AutoCloseable trickle(RawHttp http, String text) {
    AtomicBoolean stop = new AtomicBoolean();
    Thread writer = Thread.ofVirtual().start(() -> {
      try {
        for (int i = 0; !stop.get(); i++) {
          http.send(new byte[] {(byte) text.charAt(i % text.length())});
          Thread.sleep(50);
        }
      } catch (IOException | InterruptedException e) {
        // the server closed the connection: what the test waits for
      }
    });
    return () -> {
      stop.set(true);
      writer.join();
    };
  }

  @Test
  void aSlowlorisHeaderIsAnswered408AndClosed() throws Exception {
    try (RawHttp http = connect().send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        AutoCloseable writer = trickle(http, "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n")) {
      assertThat(http.read().status()).isEqualTo(408);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aConnectionThatNeverSendsAByteIsClosedWithoutAnAnswer() throws Exception {
    try (RawHttp http = connect()) {
      assertThat(http.closedByServer()).isTrue(); // end of stream, no 408: nothing was asked
    }
  }

  @Test
  void aHalfSentBodyIsAnswered408AndClosed() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/echo", 100) + "x".repeat(50));
      assertThat(http.read().status()).isEqualTo(408);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aTrickledBodyIsCutAtTheBodyDeadline() throws Exception {
    // 100 bytes at 20 a second would take 5 s: each byte is "activity", but the deadline is for the whole body.
    try (RawHttp http = connect().send(RawHttp.postHead("/echo", 100));
        AutoCloseable writer = trickle(http, "y")) {
      assertThat(http.read().status()).isEqualTo(408);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void anIdleKeptAliveConnectionIsClosedWithoutAnAnswer() throws Exception {
    try (RawHttp http = connect()) {
      http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(http.read().status()).isEqualTo(200);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aRequestBegunBeforeTheLastWasAnsweredIsAnswered408() throws Exception {
    // Its first bytes came in the same write as the request before: once that is answered, its head is due
    // (the header deadline and a 408), the connection is not an idle one to close without a word.
    try (RawHttp http = connect()) {
      http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET /hea");
      assertThat(http.read().status()).isEqualTo(200);
      assertThat(http.read().status()).isEqualTo(408);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aLongPollHeldLongerThanEveryTimeoutIsNotCut() throws Exception {
    String token = new LongPollHttp(server.endpoint.port()).get("user=patient&vsn=2.0.0").body().get("token").stringValue();
    try (RawHttp http = connect()) {
      http.send("GET /socket/longpoll?vsn=2.0.0&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      RawHttp.Response poll = http.read(); // after the 1.2 s window: three keep-alive timeouts long
      assertThat(poll.body()).isEqualTo("{\"status\":204,\"token\":\"" + token + "\",\"messages\":[]}");
      http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"); // the connection still serves
      assertThat(http.read().status()).isEqualTo(200);
    }
  }
}
