package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every selectable I/O transport serves the same protocol: join, echo, broadcast. */
class IoTransportTest {
  @ParameterizedTest
  @EnumSource(IoTransport.class)
  void joinEchoAndBroadcastWorkOn(IoTransport transport) throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults(), transport);
        RawWebSocket ws = RawWebSocket.connect(server.wsUrl("user=u&vsn=2.0.0"))) {
      assertThat(server.endpoint.ioTransport()).isNotNull();
      if (transport != IoTransport.AUTO) {
        assertThat(server.endpoint.ioTransport()).isEqualTo(transport);
      }
      ws.sendText("[\"1\",\"1\",\"test:io\",\"phx_join\",{}]");
      assertThat(ws.nextText(Duration.ofSeconds(5))).contains("\"status\":\"ok\"");
      ws.sendText("[\"1\",\"2\",\"test:io\",\"echo\",{\"a\":1}]");
      assertThat(ws.nextText(Duration.ofSeconds(5))).isEqualTo("[\"1\",\"2\",\"test:io\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"a\":1}}]");
      server.endpoint.broadcast("test:io", "b", java.util.Map.of());
      assertThat(ws.nextText(Duration.ofSeconds(5))).isEqualTo("[null,null,\"test:io\",\"b\",{}]");
    }
  }
}
