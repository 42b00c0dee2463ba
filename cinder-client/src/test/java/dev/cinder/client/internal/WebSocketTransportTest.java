package dev.cinder.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.TransportListener;
import dev.cinder.client.TransportRequest;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket upgrade that is never answered fails after the handshake timeout and its connection is closed. */
class WebSocketTransportTest {
  @Test
  void anUnansweredUpgradeFailsAndClosesItsConnection() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        HttpClient client = HttpClient.newHttpClient()) {
      CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
        try (java.net.Socket accepted = server.accept(); InputStream in = accepted.getInputStream()) {
          StringBuilder request = new StringBuilder();
          int b;
          while ((b = in.read()) != -1) { // read the upgrade, answer nothing, until the client hangs up
            request.append((char) b);
          }
          return request.toString();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      TransportListener listener = new TransportListener() {
        @Override
        public void onOpen() {
          events.add("open");
        }

        @Override
        public void onText(String frame) {
          events.add("text");
        }

        @Override
        public void onBinary(ByteBuffer frame) {
          events.add("binary");
        }

        @Override
        public void onClose(int code, String reason) {
          events.add("close " + code);
        }

        @Override
        public void onError(Throwable error) {
          events.add("error " + error.getClass().getSimpleName());
        }
      };
      URI endpoint = URI.create("ws://127.0.0.1:" + server.getLocalPort() + "/socket");
      WebSocketTransport.open(client, new TransportRequest(endpoint, Map.of("vsn", "2.0.0"), List.of(), Map.of()),
          listener, Duration.ofMillis(200));
      assertThat(events.poll(10, TimeUnit.SECONDS)).startsWith("error");
      assertThat(events.poll(10, TimeUnit.SECONDS)).isEqualTo("close 1006");
      assertThat(peer.get(10, TimeUnit.SECONDS)).startsWith("GET /socket/websocket?vsn=2.0.0 HTTP/1.1");
    }
  }
}
