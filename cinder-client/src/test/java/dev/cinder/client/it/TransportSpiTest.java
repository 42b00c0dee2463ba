package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Transport;
import dev.cinder.client.TransportFactory;
import dev.cinder.client.TransportListener;
import dev.cinder.client.TransportRequest;
import dev.cinder.client.Transports;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The transport SPI as a third-party transport sees it: a factory wrapping the built-in WebSocket one records the
 * request it is given and every frame that passes, and the socket works through it.
 */
class TransportSpiTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  /** Delegates to the built-in WebSocket transport, recording what it is asked and what passes. */
  static final class RecordingFactory implements TransportFactory {
    final It.Recorder<TransportRequest> requests = new It.Recorder<>();
    final It.Recorder<String> sent = new It.Recorder<>();
    final It.Recorder<String> received = new It.Recorder<>();
    private final TransportFactory inner = Transports.webSocket();

    @Override
    public Transport open(TransportRequest request, TransportListener listener) {
      requests.add(request);
      Transport transport = inner.open(request, new TransportListener() {
        @Override
        public void onOpen() {
          listener.onOpen();
        }

        @Override
        public void onText(String frame) {
          received.add(frame);
          listener.onText(frame);
        }

        @Override
        public void onBinary(ByteBuffer frame) {
          received.add("binary " + frame.remaining());
          listener.onBinary(frame);
        }

        @Override
        public void onClose(int code, String reason) {
          listener.onClose(code, reason);
        }

        @Override
        public void onError(Throwable error) {
          listener.onError(error);
        }
      });
      return new Transport() {
        @Override
        public String name() {
          return "recorded-" + transport.name();
        }

        @Override
        public void sendText(String frame) {
          sent.add(frame);
          transport.sendText(frame);
        }

        @Override
        public void sendBinary(ByteBuffer frame) {
          sent.add("binary " + frame.remaining());
          transport.sendBinary(frame);
        }

        @Override
        public void close(int code, String reason) {
          transport.close(code, reason);
        }
      };
    }
  }

  @Test
  void aWrappingTransportSeesTheRequestAndEveryFrameAndTheSocketWorksThroughIt() {
    RecordingFactory factory = new RecordingFactory();
    try (Socket socket = It.socket(server.url()).transport(factory).params(Map.of("token", "spi"))
        .authToken(() -> "spi-token").headers(Map.of("X-Client-Test", "spi")).build()) {
      It.get(socket.connect());
      assertThat(socket.transportName()).isEqualTo("recorded-websocket");

      TransportRequest request = factory.requests.all().getFirst();
      assertThat(request.endpoint()).isEqualTo(URI.create(server.url()));
      assertThat(request.query()).containsEntry("token", "spi").containsEntry("vsn", "2.0.0");
      assertThat(request.subprotocols()).contains("phoenix")
          .anyMatch(p -> p.startsWith("base64url.bearer.phx."));
      assertThat(request.headers()).containsEntry("X-Client-Test", "spi");

      Channel room = It.joined(socket, "room:spi");
      Reply echo = It.get(room.push("echo", Map.of("via", "spi")));
      assertThat(echo.response().json().get("via").stringValue()).isEqualTo("spi");
      assertThat(It.get(room.push("upload", new byte[] {1, 2})).response().bytes()).containsExactly(1, 2);

      assertThat(factory.sent.all()).anyMatch(f -> f.contains("\"room:spi\"") && f.contains("\"phx_join\""))
          .anyMatch(f -> f.contains("\"echo\"") && f.contains("\"via\":\"spi\""))
          .anyMatch(f -> f.startsWith("binary "));
      assertThat(factory.received.all()).anyMatch(f -> f.contains("\"phx_reply\"") && f.contains("\"via\":\"spi\""))
          .anyMatch(f -> f.startsWith("binary "));
      ItSocket.Connected connect = server.socket.connects.stream().filter(c -> "spi".equals(c.user()))
          .findFirst().orElseThrow();
      assertThat(connect.authToken()).isEqualTo("spi-token");
      assertThat(connect.testHeader()).isEqualTo("spi");
    }
  }
}
