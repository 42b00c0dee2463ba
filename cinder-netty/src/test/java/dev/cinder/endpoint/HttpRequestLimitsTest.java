package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import dev.cinder.http.RouteOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every request is judged from its request line and headers before its body is read: route, guard,
 * declared length against the route's limit, room among all bodies in flight. A refused client gets its
 * answer at once, while its body is still unsent, and the connection is closed.
 */
class HttpRequestLimitsTest {
  private static final int KIB = 1024;
  private static final long IN_FLIGHT = 100 * KIB;
  private static TestServer server;

  @BeforeAll
  static void start() {
    RouteOptions adminOnly = RouteOptions.defaults().maxBodySize(16L << 20).guard(head ->
        "secret".equals(head.bearerToken()) ? Optional.empty() : Optional.of(HttpResponse.error(401, "unauthorized")));
    server = new TestServer(SocketOptions.defaults().longPoll(true), b -> b
        .http(HttpOptions.defaults().maxBodyBytesInFlight(IN_FLIGHT))
        .post("/admin", r -> HttpResponse.json(202, java.util.Map.of("bytes", r.body().length)), adminOnly)
        .post("/echo", HttpRequestLimitsTest::echo)
        .post("/small", HttpRequestLimitsTest::echo, RouteOptions.defaults().maxBodySize(1000))
        .post("/upload", HttpRequestLimitsTest::echo, RouteOptions.defaults().maxBodySize(60 * KIB)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static HttpResponse echo(HttpRequest request) {
    return HttpResponse.text(200, "text/plain", request.body().length + " bytes");
  }

  private RawHttp connect() throws Exception {
    return RawHttp.connect(server.endpoint.port());
  }

  private static void assertRefusedAndClosed(RawHttp http, int status) throws Exception {
    assertThat(http.read().status()).isEqualTo(status);
    assertThat(http.closedByServer()).isTrue();
  }

  @Test
  void anUnauthenticatedPostIsRefusedBeforeItsBodyIsSent() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/admin", 8L << 20));
      assertRefusedAndClosed(http, 401);
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/admin", 3, "Authorization: Bearer secret") + "abc");
      assertThat(http.read().body()).isEqualTo("{\"bytes\":3}");
    }
  }

  @Test
  void aDeclaredLengthOverTheRouteLimitGets413AtOnce() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/echo", 64 * KIB + 1)); // the default limit of an app route is 64 KiB
      assertRefusedAndClosed(http, 413);
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/socket/longpoll?vsn=2.0.0", 8_000_001, "Content-Type: application/x-ndjson"));
      assertRefusedAndClosed(http, 413);
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/echo", 64 * KIB) + "x".repeat(64 * KIB));
      assertThat(http.read().body()).isEqualTo(64 * KIB + " bytes");
    }
  }

  @Test
  void aChunkedBodyIsCountedAsItArrives() throws Exception {
    try (RawHttp http = connect()) {
      String chunk = Integer.toHexString(600) + "\r\n" + "y".repeat(600) + "\r\n";
      http.send("POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk);
      http.send(chunk); // 1200 bytes now, over the route's 1000; the body never ends
      assertRefusedAndClosed(http, 413);
    }
    try (RawHttp http = connect()) {
      http.send("POST /small HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
          + "3e8\r\n" + "z".repeat(1000) + "\r\n0\r\n\r\n");
      assertThat(http.read().body()).isEqualTo("1000 bytes");
    }
  }

  @Test
  void unknownRoutesAndMethodsAreAnsweredBeforeTheBody() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/nowhere", 1 << 20));
      assertRefusedAndClosed(http, 404);
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/health", 1 << 20));
      assertRefusedAndClosed(http, 405);
    }
  }

  @Test
  void continueIsSentOnlyOnceTheHeadersPass() throws Exception {
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/admin", 8L << 20, "Expect: 100-continue"));
      assertRefusedAndClosed(http, 401);
    }
    try (RawHttp http = connect()) {
      http.send(RawHttp.postHead("/admin", 5, "Expect: 100-continue", "Authorization: Bearer secret"));
      assertThat(http.read().status()).isEqualTo(100);
      http.send("hello");
      assertThat(http.read().body()).isEqualTo("{\"bytes\":5}");
    }
  }

  @Test
  void aRequestThatWouldExceedTheBodiesInFlightGets503() throws Exception {
    try (RawHttp first = connect(); RawHttp second = connect()) {
      first.send(RawHttp.postHead("/upload", 60 * KIB) + "a".repeat(30 * KIB)); // half sent: holds 60 KiB
      await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.httpBodyBytesInFlight() == 60 * KIB);
      second.send(RawHttp.postHead("/upload", 60 * KIB)); // 120 KiB would exceed the 100 KiB bound
      RawHttp.Response refused = second.read();
      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("retry-after")).isNotNull();
      assertThat(second.closedByServer()).isTrue();
      first.send("a".repeat(30 * KIB));
      assertThat(first.read().body()).isEqualTo(60 * KIB + " bytes");
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.httpBodyBytesInFlight() == 0);
  }

  @Test
  void halfSentBodiesNeverHoldMoreThanTheBound() throws Exception {
    List<RawHttp> connections = new ArrayList<>();
    try {
      for (int i = 0; i < 6; i++) {
        RawHttp http = connect();
        connections.add(http);
        http.send(RawHttp.postHead("/upload", 30 * KIB) + "b".repeat(20 * KIB)); // and then nothing more
        if (i < 3) {
          long expected = (i + 1) * 30L * KIB;
          await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.httpBodyBytesInFlight() == expected);
        } else {
          assertRefusedAndClosed(http, 503); // three 30 KiB bodies fill 90 of the 100 KiB
        }
      }
      assertThat(server.endpoint.httpBodyBytesInFlight()).isEqualTo(90L * KIB).isLessThanOrEqualTo(IN_FLIGHT);
    } finally {
      for (RawHttp http : connections) {
        http.close();
      }
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.httpBodyBytesInFlight() == 0);
  }

  @Test
  void oversizedHeadersAndRequestLinesAreRefusedAndClosed() throws Exception {
    try (RawHttp http = connect()) {
      http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n");
      assertRefusedAndClosed(http, 431);
    }
    try (RawHttp http = connect()) {
      http.send("GET /health?" + "q".repeat(5000) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertRefusedAndClosed(http, 414);
    }
  }
}
