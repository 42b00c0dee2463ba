package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.SocketOptions;
import java.io.InputStream;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Start and stop leave nothing behind: a taken port is a clear error, and close drops plain HTTP connections too. */
class EndpointLifecycleTest {
  @Test
  void aTakenPortIsAClearErrorAndLeaksNoThreads() {
    try (TestServer first = new TestServer()) {
      int port = first.endpoint.port();
      long threadsBefore = cinderThreads();
      Endpoint second = Endpoint.builder().host("127.0.0.1").port(port).secretKeyBase("a".repeat(64))
          .socket("/socket", new TestSocket(), SocketOptions.defaults()).build();
      assertThatThrownBy(second::start).isInstanceOf(IllegalStateException.class).hasMessageContaining(String.valueOf(port));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> cinderThreads() == threadsBefore);
    }
  }

  @Test
  void aClientGoneDuringASlowConnectLeavesNoSocketCounted() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults())) {
      try (Socket vanishing = new Socket("127.0.0.1", server.endpoint.port())) {
        vanishing.getOutputStream().write(("GET /socket/websocket?user=slow&vsn=2.0.0 HTTP/1.1\r\nHost: x\r\n"
            + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes());
      } // closed while the handler's connect still runs
      Thread.sleep(1_000); // the connect returns "ok", the handshake finds the channel closed
      try (RawWebSocket alive = RawWebSocket.connect(server.wsUrl("user=alive&vsn=2.0.0"))) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.telemetry().sockets() == 1);
        Thread.sleep(200);
        assertThat(server.endpoint.telemetry().sockets()).isEqualTo(1); // only the live one
      }
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> server.endpoint.telemetry().sockets() == 0);
    }
  }

  /** I/O and sweeper threads of all endpoints alive now. */
  private static long cinderThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && (t.getName().startsWith("cinder-io") || t.getName().startsWith("cinder-longpoll")))
        .count();
  }

  @Test
  void closeAlsoDropsIdleHttpConnections() throws Exception {
    TestServer server = new TestServer();
    try (Socket idle = new Socket("127.0.0.1", server.endpoint.port())) {
      idle.getOutputStream().write("GET /health HTTP/1.1\r\nHost: x\r\n\r\n".getBytes());
      idle.setSoTimeout(5000);
      InputStream in = idle.getInputStream();
      byte[] buffer = new byte[4096];
      assertThat(in.read(buffer)).isPositive(); // the response; the connection stays open (keep-alive)
      server.close();
      int next;
      do {
        next = in.read(buffer);
      } while (next > 0);
      assertThat(next).isEqualTo(-1); // closed by the server, not timed out
    }
  }
}
