package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One broadcast to a compressing client (the official client over ws offers permessage-deflate) and a plain
 * one: the first gets it deflated per connection, the second the shared pre-encoded frame; both exact.
 */
class CompressionTest {
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  @Test
  void broadcastsReachCompressedAndPlainClientsAlike() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults().compress(true));
        RawWebSocket plain = RawWebSocket.connect(server.wsUrl("user=plain&vsn=2.0.0"))) {
      JsChannel deflating = js.connect(server.socketUrl(), Map.of("user", "zip")).channel("test:zip");
      deflating.join();
      plain.sendText("[\"1\",\"1\",\"test:zip\",\"phx_join\",{}]");
      assertThat(plain.nextText(Duration.ofSeconds(5))).contains("\"ok\"");
      String big = "compressible ".repeat(2_000); // 26 KB: a 2-byte length header would not do
      for (int i = 0; i < 5; i++) {
        server.endpoint.broadcast("test:zip", "tick", Map.of("i", i, "text", i % 2 == 0 ? big : "small"));
      }
      for (int i = 0; i < 5; i++) {
        int n = i;
        JsMessage tick = deflating.awaitMessage(m -> m.event().equals("tick") && m.payload().path("i").intValue() == n,
            Duration.ofSeconds(5));
        assertThat(tick.payload().path("text").stringValue()).isEqualTo(i % 2 == 0 ? big : "small");
        String raw = plain.nextText(Duration.ofSeconds(5));
        assertThat(raw).startsWith("[null,null,\"test:zip\",\"tick\",").contains("\"i\":" + i).endsWith("}]");
        assertThat(raw.length()).isGreaterThan(i % 2 == 0 ? big.length() : 0);
      }
    }
  }
}
