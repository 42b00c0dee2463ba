package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Frames the official client never sends, over a plain WebSocket: each gets a defined answer, and a
 * well-behaved client connected meanwhile keeps working.
 */
class BadInputTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Runs {@code bad} on one connection and checks that a second one still answers and receives broadcasts. */
  private void assertNeighbourUnaffected(ThrowingConsumer<RawWebSocket> bad) throws Exception {
    try (RawWebSocket good = RawWebSocket.connect(server.wsUrl("user=good&vsn=2.0.0"));
        RawWebSocket evil = RawWebSocket.connect(server.wsUrl("user=evil&vsn=2.0.0"))) {
      good.sendText("[\"1\",\"1\",\"test:room\",\"phx_join\",{}]");
      assertThat(good.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"test:room\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      bad.accept(evil);
      good.sendText("[null,\"2\",\"phoenix\",\"heartbeat\",{}]");
      assertThat(good.nextText(WAIT)).isEqualTo("[null,\"2\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      server.endpoint.broadcast("test:room", "news", java.util.Map.of("n", 1));
      assertThat(good.nextText(WAIT)).isEqualTo("[null,null,\"test:room\",\"news\",{\"n\":1}]");
    }
  }

  interface ThrowingConsumer<T> {
    void accept(T t) throws Exception;
  }

  @Test
  void malformedJsonClosesOnlyThatConnectionWithProtocolError() throws Exception {
    assertNeighbourUnaffected(evil -> {
      evil.sendText("[\"1\",\"1\",\"test:room\",\"phx_join\",{");
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1002);
    });
  }

  @Test
  void wrongArityClosesWithProtocolError() throws Exception {
    assertNeighbourUnaffected(evil -> {
      evil.sendText("[\"1\",\"1\",\"test:room\"]");
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1002);
    });
  }

  @Test
  void wrongTypesCloseWithProtocolError() throws Exception {
    assertNeighbourUnaffected(evil -> {
      evil.sendText("[\"1\",\"1\",42,\"phx_join\",{}]");
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1002);
    });
  }

  @Test
  void unknownBinaryKindClosesWithProtocolError() throws Exception {
    assertNeighbourUnaffected(evil -> {
      evil.sendBinary(new byte[] {7, 0, 0, 0, 0});
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1002);
    });
  }

  @Test
  void oversizedFrameClosesWithMessageTooBig() throws Exception {
    assertNeighbourUnaffected(evil -> {
      String body = "x".repeat((1 << 20) + 10);
      evil.sendText("[\"1\",\"2\",\"test:room\",\"echo\",{\"body\":\"" + body + "\"}]");
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1009);
    });
  }

  @Test
  void unknownTopicGetsUnmatchedTopicAndConnectionStaysOpen() throws Exception {
    assertNeighbourUnaffected(evil -> {
      evil.sendText("[\"1\",\"1\",\"nope:1\",\"phx_join\",{}]");
      assertThat(evil.nextText(WAIT))
          .isEqualTo("[null,\"1\",\"nope:1\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"unmatched topic\"}}]");
      evil.sendText("[\"1\",\"2\",\"test:notjoined\",\"echo\",{}]");
      assertThat(evil.nextText(WAIT))
          .isEqualTo("[null,\"2\",\"test:notjoined\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"unmatched topic\"}}]");
      evil.sendText("[\"1\",\"3\",\"test:notjoined\",\"phx_leave\",{}]");
      assertThat(evil.nextText(WAIT))
          .isEqualTo("[\"1\",\"3\",\"test:notjoined\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      assertThat(evil.isClosed()).isFalse();
    });
  }

  @Test
  void tooManyChannelsIsRefusedWithTheReason() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl("user=greedy&vsn=2.0.0"))) {
      for (int i = 1; i <= 5; i++) {
        ws.sendText("[\"" + i + "\",\"" + i + "\",\"test:" + i + "\",\"phx_join\",{}]");
        assertThat(ws.nextText(WAIT)).contains("\"status\":\"ok\"");
      }
      ws.sendText("[\"6\",\"6\",\"test:6\",\"phx_join\",{}]");
      assertThat(ws.nextText(WAIT)).isEqualTo(
          "[\"6\",\"6\",\"test:6\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"too many channels joined\"}}]");
    }
  }

  @Test
  void v1ClientsSpeakJsonObjects() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl("user=old"))) {
      ws.sendText("{\"topic\":\"test:v1\",\"event\":\"phx_join\",\"payload\":{},\"ref\":\"1\"}");
      assertThat(ws.nextText(WAIT)).isEqualTo(
          "{\"topic\":\"test:v1\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"1\"}");
      server.endpoint.broadcast("test:v1", "news", java.util.Map.of("n", 2));
      assertThat(ws.nextText(WAIT)).isEqualTo("{\"topic\":\"test:v1\",\"event\":\"news\",\"payload\":{\"n\":2},\"ref\":null}");
      ws.sendText("{\"topic\":\"test:v1\",\"event\":\"echo\",\"payload\":{}}");
      assertThat(ws.awaitClose(WAIT)).isEqualTo(1002); // V1 requires the ref key
    }
  }

  @Test
  void idleConnectionIsClosedAfterTheTimeout() throws Exception {
    try (RawWebSocket ws = RawWebSocket.connect(server.wsUrl("user=sleepy&vsn=2.0.0"))) {
      assertThat(ws.awaitClose(Duration.ofSeconds(6))).isEqualTo(1001);
    }
  }

  @Test
  void refusedUpgradesAnswer403() throws Exception {
    assertThat(upgradeStatus("user=refuse&vsn=2.0.0", null)).isEqualTo(403);
    assertThat(upgradeStatus("vsn=2.0.0", null)).isEqualTo(403);
    assertThat(upgradeStatus("user=a&vsn=3.0.0", null)).isEqualTo(403);
    assertThat(upgradeStatus("user=a&vsn=2.0", null)).isEqualTo(403);
    assertThat(upgradeStatus("user=a&vsn=2.0.0", "http://evil.example")).isEqualTo(403);
    assertThat(upgradeStatus("user=a&vsn=2.0.0", "http://allowed.example")).isEqualTo(101);
    assertThatThrownBy(() -> RawWebSocket.connect(server.wsUrl("user=refuse&vsn=2.0.0"))).hasRootCauseMessage("Unexpected HTTP response status code 403");
  }

  @Test
  void aPlainGetWithoutUpgradeIsABadRequest() throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.endpoint.port() + "/socket/websocket?user=a&vsn=2.0.0")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(400);
  }

  /** Sends a WebSocket upgrade by hand (the JDK client hides the status) and returns the HTTP status. */
  private int upgradeStatus(String query, String origin) throws Exception {
    try (var s = new java.net.Socket("127.0.0.1", server.endpoint.port())) {
      String request = "GET /socket/websocket?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
          + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
          + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      s.setSoTimeout(5000);
      String statusLine = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream())).readLine();
      return Integer.parseInt(statusLine.split(" ")[1]);
    }
  }
}
