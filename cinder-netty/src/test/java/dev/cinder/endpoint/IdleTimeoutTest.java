package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The idle timer (1 s here) and control frames: pings keep an otherwise idle connection open, but not one
 * holding an unfinished fragmented message; that one is closed with 1001, and the client reads the code.
 */
class IdleTimeoutTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().idleTimeout(Duration.ofSeconds(1)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WireWebSocket connect(String user) throws IOException {
    return WireWebSocket.connect(server.endpoint.port(), "/socket/websocket?vsn=2.0.0&user=" + user);
  }

  /** Pings every 200 ms on a virtual thread until stopped or the connection fails. */
  private static Thread pinger(WireWebSocket ws) {
    return Thread.ofVirtual().start(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          ws.sendFrame(true, 0, WireWebSocket.PING, new byte[] {1});
          Thread.sleep(200);
        }
      } catch (IOException | InterruptedException e) {
        // stopped, or the server is gone
      }
    });
  }

  @Test
  void pingsDoNotKeepAnUnfinishedMessageAlive() throws Exception {
    try (WireWebSocket ws = connect("fragment")) {
      ws.sendFrame(false, 0, WireWebSocket.TEXT, "[\"1\",\"1\",\"test:room\"".getBytes());
      Thread pings = pinger(ws);
      try {
        assertThat(ws.awaitClose(WAIT)).isEqualTo(1001);
      } finally {
        pings.interrupt();
      }
      assertThat(ws.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void pingsAloneKeepAnIdleConnectionOpen() throws Exception {
    try (WireWebSocket ws = connect("pinger")) {
      Thread pings = pinger(ws);
      long until = System.nanoTime() + Duration.ofMillis(2500).toNanos(); // 2.5 idle timeouts
      while (System.nanoTime() < until) {
        WireWebSocket.WireFrame frame = ws.readFrame(WAIT);
        assertThat(frame.opcode()).as("only pongs while pinging").isEqualTo(WireWebSocket.PONG);
      }
      pings.interrupt();
      pings.join();
      ws.sendText("[null,\"9\",\"phoenix\",\"heartbeat\",{}]");
      WireWebSocket.WireFrame reply;
      do {
        reply = ws.readFrame(WAIT);
      } while (reply.opcode() == WireWebSocket.PONG);
      assertThat(reply.text()).isEqualTo("[null,\"9\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      // Without pings or messages, the timer runs out as usual.
      assertThat(ws.awaitClose(WAIT)).isEqualTo(1001);
    }
  }
}
