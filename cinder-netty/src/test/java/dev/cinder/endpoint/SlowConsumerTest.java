package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.SocketOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading while others receive a broadcast storm: its queue is bounded, it is closed
 * (or its frames dropped) per policy, and the readers get every message in order.
 */
class SlowConsumerTest {
  private static final int MESSAGES = 20_000;
  private static final String FILLER = "x".repeat(1000);

  private static final int WINDOW = 300; // messages, ~300 KB in flight per healthy reader

  record Tick(int i, String filler) {}

  /**
   * About 20 MB, paced by the readers: never more than {@link #WINDOW} messages ahead of the slowest healthy
   * reader (so a loaded machine cannot make them look stalled), while the stalled one falls behind for good.
   */
  private static void storm(TestServer server, RawWebSocket... readers) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos(); // bounded even when a test fails
    for (int i = 0; i < MESSAGES; i++) {
      for (RawWebSocket reader : readers) {
        while (reader.receivedCount() < i - WINDOW) {
          Thread.onSpinWait();
          if (System.nanoTime() > deadline) {
            return;
          }
        }
      }
      server.endpoint.broadcast("test:storm", "tick", new Tick(i, FILLER));
    }
  }

  private static void join(RawWebSocket ws) throws InterruptedException {
    ws.sendText("[\"1\",\"1\",\"test:storm\",\"phx_join\",{}]");
    assertThat(ws.nextText(Duration.ofSeconds(5))).contains("\"status\":\"ok\"");
  }

  private static void assertReceivesAllInOrder(RawWebSocket reader) throws InterruptedException {
    for (int i = 0; i < MESSAGES; i++) {
      assertThat(reader.nextText(Duration.ofSeconds(10))).startsWith("[null,null,\"test:storm\",\"tick\",{\"i\":" + i + ",");
    }
  }

  @Test
  void aStalledReaderIsClosedAndTheOthersGetEverything() throws Exception {
    SocketOptions options = SocketOptions.defaults().maxQueuedBytes(1024 * 1024);
    try (TestServer server = new TestServer(options);
        RawWebSocket stalled = RawWebSocket.connectStalling(server.wsUrl("user=slow&vsn=2.0.0"));
        RawWebSocket readerA = RawWebSocket.connect(server.wsUrl("user=a&vsn=2.0.0"));
        RawWebSocket readerB = RawWebSocket.connect(server.wsUrl("user=b&vsn=2.0.0"))) {
      join(stalled);
      join(readerA);
      join(readerB);
      assertThat(server.endpoint.telemetry().sockets()).isEqualTo(3);
      Thread.ofVirtual().start(() -> storm(server, readerA, readerB));
      assertReceivesAllInOrder(readerA);
      assertReceivesAllInOrder(readerB);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoint.telemetry().slowConsumerCloses() == 1);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoint.telemetry().sockets() == 2);
      assertThat(server.endpoint.telemetry().drops()).isPositive();
    }
  }

  @Test
  void underTheDropPolicyTheStalledReaderStaysConnectedAndDropsAreCounted() throws Exception {
    SocketOptions options = SocketOptions.defaults().maxQueuedBytes(1024 * 1024).slowConsumerPolicy(SlowConsumerPolicy.DROP);
    try (TestServer server = new TestServer(options);
        RawWebSocket stalled = RawWebSocket.connectStalling(server.wsUrl("user=slow&vsn=2.0.0"));
        RawWebSocket reader = RawWebSocket.connect(server.wsUrl("user=a&vsn=2.0.0"))) {
      join(stalled);
      join(reader);
      Thread.ofVirtual().start(() -> storm(server, reader));
      assertReceivesAllInOrder(reader);
      await().atMost(Duration.ofSeconds(10)).until(() -> server.endpoint.telemetry().drops() > 0);
      assertThat(server.endpoint.telemetry().slowConsumerCloses()).isZero();
      assertThat(server.endpoint.telemetry().sockets()).isEqualTo(2);
    }
  }
}
