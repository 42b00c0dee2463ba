package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The close code reaches the client even when the connection is in a bad state: a client that stopped reading
 * finds 1013 after the data it had not read yet, and a client still sending when it is refused (an 8 MiB frame,
 * more frames behind a malformed one) reads 1009 or 1002 rather than a reset.
 */
class CloseCodeDeliveryTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String FILLER = "x".repeat(1000);
  private static final int WINDOW = 300; // messages the healthy reader may be behind

  record Tick(int i, String filler) {}

  private static String socketPath(String query) {
    return "/socket/websocket?" + query;
  }

  @Test
  void aClientThatStopsReadingFindsTryAgainLaterAfterItsData() throws Exception {
    SocketOptions options = SocketOptions.defaults().maxQueuedBytes(1024 * 1024);
    try (TestServer server = new TestServer(options);
        WireWebSocket stalled = WireWebSocket.connect(server.endpoint.port(), socketPath("user=stalled&vsn=2.0.0"), 64 * 1024);
        RawWebSocket reader = RawWebSocket.connect(server.wsUrl("user=reader&vsn=2.0.0"))) {
      stalled.sendText("[\"1\",\"1\",\"test:storm\",\"phx_join\",{}]");
      assertThat(stalled.readFrame(WAIT).text()).contains("\"status\":\"ok\"");
      reader.sendText("[\"1\",\"1\",\"test:storm\",\"phx_join\",{}]");
      assertThat(reader.nextText(WAIT)).contains("\"status\":\"ok\"");

      // The stalled client reads nothing while ticks are broadcast, until the server gives up on it.
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      int sent = 0;
      while (server.endpoint.telemetry().slowConsumerCloses() == 0 && System.nanoTime() < deadline) {
        while (reader.receivedCount() < sent - WINDOW && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        server.endpoint.broadcast("test:storm", "tick", new Tick(sent++, FILLER));
      }
      assertThat(server.endpoint.telemetry().slowConsumerCloses()).isEqualTo(1);

      // It reads again: the ticks it had not read yet, in order from the first, then the close frame.
      List<String> ticks = new ArrayList<>();
      int code = stalled.awaitClose(WAIT, frame -> ticks.add(frame.text()));
      assertThat(ticks).isNotEmpty();
      for (int i = 0; i < ticks.size(); i++) {
        assertThat(ticks.get(i)).startsWith("[null,null,\"test:storm\",\"tick\",{\"i\":" + i + ",");
      }
      assertThat(code).isEqualTo(1013);
      assertThat(stalled.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void anOversizedFrameSentInFullGetsMessageTooBig() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults())) {
      Neighbour.assertUnaffectedBy(server, () -> {
        try (WireWebSocket evil = WireWebSocket.connect(server.endpoint.port(), socketPath("user=evil&vsn=2.0.0"))) {
          byte[] eightMiB = new byte[8 << 20];
          Arrays.fill(eightMiB, (byte) 'x');
          evil.sendFrame(true, 0, WireWebSocket.TEXT, eightMiB); // in full: the server reads and discards the rest
          assertThat(evil.awaitClose(WAIT)).isEqualTo(1009);
          assertThat(evil.endsWithin(WAIT)).isTrue();
        }
      });
    }
  }

  @Test
  void aClientStillSendingWhenRefusedReadsProtocolError() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults())) {
      Neighbour.assertUnaffectedBy(server, () -> {
        try (WireWebSocket evil = WireWebSocket.connect(server.endpoint.port(), socketPath("user=evil&vsn=2.0.0"))) {
          evil.sendText("[\"1\",\"1\",\"test:room\",\"phx_join\",{");
          // A client busy sending a large message meanwhile: half of it now, the rest a little later.
          byte[] next = WireWebSocket.frame(true, 0, WireWebSocket.TEXT,
              ("[null,\"2\",\"phoenix\",\"heartbeat\",{\"pad\":\"" + "p".repeat(500_000) + "\"}]").getBytes());
          int half = next.length / 2;
          evil.sendRaw(Arrays.copyOfRange(next, 0, half));
          Thread.sleep(500); // well within the server's 2 s linger; a server that closed at once resets the rest
          evil.sendRaw(Arrays.copyOfRange(next, half, next.length));
          evil.sendRaw(next);
          assertThat(evil.awaitClose(WAIT)).isEqualTo(1002);
          assertThat(evil.endsWithin(WAIT)).isTrue();
        }
      });
    }
  }

  @Test
  void aClientCloseWithoutAStatusIsAnsweredWithoutOne() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults());
        WireWebSocket ws = WireWebSocket.connect(server.endpoint.port(), socketPath("user=quiet&vsn=2.0.0"))) {
      ws.sendFrame(true, 0, WireWebSocket.CLOSE, new byte[0]); // legal: a close frame need not carry a code
      assertThat(ws.awaitClose(WAIT)).isEqualTo(1005); // RFC 6455: 1005 stands for "no status code"
      assertThat(ws.endsWithin(WAIT)).isTrue();
    }
  }

  @Test
  void theJdkClientSendingAnOversizedFrameReadsMessageTooBig() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults());
        RawWebSocket evil = RawWebSocket.connect(server.wsUrl("user=evil&vsn=2.0.0"))) {
      try {
        evil.sendText("x".repeat(8 << 20));
      } catch (java.util.concurrent.CompletionException e) {
        // the send fails once the server closes; what matters is what the client read
      }
      assertThat(evil.awaitClose(WAIT)).isEqualTo(1009);
    }
  }
}
