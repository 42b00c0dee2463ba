package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The upgrade response itself: subprotocol echo for the authToken option, and permessage-deflate. */
class HandshakeTest {
  /** The status line and headers of a hand-written upgrade request. */
  private static List<String> upgrade(int port, String query, String... extraHeaders) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      StringBuilder request = new StringBuilder("GET /socket/websocket?" + query + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
          + "Sec-WebSocket-Version: 13\r\n");
      for (String h : extraHeaders) {
        request.append(h).append("\r\n");
      }
      s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
      s.setSoTimeout(5000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      List<String> lines = new ArrayList<>();
      for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
        lines.add(line.toLowerCase(java.util.Locale.ROOT));
      }
      return lines;
    }
  }

  private static String protocolHeader(String token) {
    return "Sec-WebSocket-Protocol: phoenix, base64url.bearer.phx."
        + Base64.getEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void authTokenInTheSubprotocolIsAcceptedAndPhoenixIsEchoed() throws Exception {
    try (TestServer server = new TestServer()) {
      // No user param: only the token in the subprotocol authenticates this socket.
      List<String> response = upgrade(server.endpoint.port(), "vsn=2.0.0", protocolHeader("carol"));
      assertThat(response.getFirst()).startsWith("http/1.1 101");
      assertThat(response).contains("sec-websocket-protocol: phoenix");
    }
  }

  @Test
  void aRefusedTokenInTheSubprotocolIs403() throws Exception {
    try (TestServer server = new TestServer()) {
      assertThat(upgrade(server.endpoint.port(), "vsn=2.0.0", protocolHeader("refuse")).getFirst()).startsWith("http/1.1 403");
    }
  }

  @Test
  void badBase64OrTwoTokensAre403NotAServerError() throws Exception {
    try (TestServer server = new TestServer()) {
      int port = server.endpoint.port();
      assertThat(upgrade(port, "vsn=2.0.0", "Sec-WebSocket-Protocol: phoenix, base64url.bearer.phx.%%%").getFirst())
          .startsWith("http/1.1 403");
      assertThat(upgrade(port, "vsn=2.0.0",
          "Sec-WebSocket-Protocol: phoenix, base64url.bearer.phx.YQ, base64url.bearer.phx.Yg").getFirst())
          .startsWith("http/1.1 403");
      assertThat(upgrade(port, "user=a&vsn=2.0.0", "Sec-WebSocket-Protocol: chat").getFirst()).startsWith("http/1.1 403");
    }
  }

  @Test
  void noSubprotocolOfferedMeansNoneEchoed() throws Exception {
    try (TestServer server = new TestServer()) {
      List<String> response = upgrade(server.endpoint.port(), "user=a&vsn=2.0.0");
      assertThat(response.getFirst()).startsWith("http/1.1 101");
      assertThat(response).noneMatch(h -> h.startsWith("sec-websocket-protocol"));
    }
  }

  @Test
  void permessageDeflateIsNegotiatedOnlyWhenCompressIsOn() throws Exception {
    String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
    try (TestServer on = new TestServer(SocketOptions.defaults().compress(true));
        TestServer off = new TestServer(SocketOptions.defaults())) {
      List<String> compressed = upgrade(on.endpoint.port(), "user=a&vsn=2.0.0", offer);
      assertThat(compressed.getFirst()).startsWith("http/1.1 101");
      assertThat(compressed).anyMatch(h -> h.startsWith("sec-websocket-extensions: permessage-deflate"));
      List<String> plain = upgrade(off.endpoint.port(), "user=a&vsn=2.0.0", offer);
      assertThat(plain.getFirst()).startsWith("http/1.1 101");
      assertThat(plain).noneMatch(h -> h.startsWith("sec-websocket-extensions"));
    }
  }
}
