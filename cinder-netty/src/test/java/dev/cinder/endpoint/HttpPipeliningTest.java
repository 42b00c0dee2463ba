package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Pipelined HTTP/1.1 requests on one connection are answered in the order they were sent (RFC 9112
 * §9.3.2), however long each takes, so no client ever reads the answer meant for another request.
 */
class HttpPipeliningTest {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofMillis(500)),
        b -> b.post("/echo", HttpPipeliningTest::echo));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Answers with the request's own identity, after a random delay so completions come out of order. */
  private static HttpResponse echo(HttpRequest request) throws InterruptedException {
    Thread.sleep(ThreadLocalRandom.current().nextInt(0, 30));
    return HttpResponse.text(200, "text/plain", request.header("x-request-id") + ":" + request.bodyText());
  }

  private static String echoRequest(int i) {
    String body = "user-" + i;
    return "POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Request-Id: r" + i + "\r\nContent-Length: " + body.length()
        + "\r\n\r\n" + body;
  }

  @Test
  void everyPipelinedRequestGetsItsOwnAnswerInOrder() throws Exception {
    for (int round = 0; round < 3; round++) {
      try (RawHttp http = RawHttp.connect(server.endpoint.port())) {
        StringBuilder pipelined = new StringBuilder();
        for (int i = 0; i < 20; i++) {
          pipelined.append(echoRequest(i));
        }
        http.send(pipelined.toString()); // all 20 in one write: they arrive together
        for (int i = 0; i < 20; i++) {
          RawHttp.Response response = http.read();
          assertThat(response.status()).isEqualTo(200);
          assertThat(response.body()).isEqualTo("r" + i + ":user-" + i);
        }
      }
    }
  }

  /** {@code count} requests in one string: echoes with even ids, health checks between them. */
  private static String mixedPipeline(int count) {
    StringBuilder pipelined = new StringBuilder();
    for (int i = 0; i < count; i++) {
      pipelined.append(i % 2 == 0 ? echoRequest(i) : "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    }
    return pipelined.toString();
  }

  private static String expectedAnswer(int i) {
    return i % 2 == 0 ? "r" + i + ":user-" + i : "{\"status\":\"ok\"}";
  }

  @Test
  void aLongPipelineWithinTheBoundIsFullyAnsweredInOrder() throws Exception {
    try (RawHttp http = RawHttp.connect(server.endpoint.port())) {
      http.send(mixedPipeline(120)); // fewer than the 128 requests in flight allowed by default
      for (int i = 0; i < 120; i++) {
        assertThat(http.read().body()).isEqualTo(expectedAnswer(i));
      }
      http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(http.read().header("connection")).isEqualTo("keep-alive");
    }
  }

  @Test
  void pastTheBoundTheWaitingRequestsAreAnsweredInOrderThenTheConnectionCloses() throws Exception {
    try (TestServer small = new TestServer(SocketOptions.defaults(),
        b -> b.http(HttpOptions.defaults().maxPipelinedRequests(8)).post("/echo", HttpPipeliningTest::echo));
        RawHttp http = RawHttp.connect(small.endpoint.port())) {
      http.send(mixedPipeline(300)); // one write: the first read alone brings more than 8
      int answered = 0;
      RawHttp.Response response;
      do {
        response = http.read();
        assertThat(response.body()).isEqualTo(expectedAnswer(answered));
        answered++;
      } while (!"close".equals(response.header("connection")));
      assertThat(answered).isBetween(8, 299);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aHeldLongPollIsAnsweredBeforeThePipelinedRequestBehindIt() throws Exception {
    String token = new LongPollHttp(server.endpoint.port()).get("user=poller&vsn=2.0.0").body().get("token").stringValue();
    try (RawHttp http = RawHttp.connect(server.endpoint.port())) {
      http.send("GET /socket/longpoll?vsn=2.0.0&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
          + "GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      RawHttp.Response poll = http.read();
      assertThat(poll.body()).isEqualTo("{\"status\":204,\"token\":\"" + token + "\",\"messages\":[]}");
      RawHttp.Response health = http.read();
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
    }
  }
}
