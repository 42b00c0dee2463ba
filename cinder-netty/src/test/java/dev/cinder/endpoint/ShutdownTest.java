package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Closing an endpoint tells every client to come back later (1012) instead of dropping them. */
class ShutdownTest {
  @Test
  void closingTheEndpointClosesSocketsWithServiceRestart() throws Exception {
    TestServer server = new TestServer();
    RawWebSocket a = RawWebSocket.connect(server.wsUrl("user=a&vsn=2.0.0"));
    RawWebSocket b = RawWebSocket.connect(server.wsUrl("user=b&vsn=2.0.0"));
    a.sendText("[\"1\",\"1\",\"test:drain\",\"phx_join\",{}]");
    assertThat(a.nextText(Duration.ofSeconds(5))).contains("\"ok\"");
    server.close();
    assertThat(a.awaitClose(Duration.ofSeconds(5))).isEqualTo(1012);
    assertThat(b.awaitClose(Duration.ofSeconds(5))).isEqualTo(1012);
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> server.socket.terminations.contains("test:drain:SOCKET_CLOSED"));
    a.close();
    b.close();
  }
}
