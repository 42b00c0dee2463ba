package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin API refuses a client without the admin token from the request's headers alone: an 8 MiB body
 * announced but never sent gets its 401 at once, and the connection is closed.
 */
class AdminApiGuardTest {
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();

  /**
   * Sends a POST head announcing 8 MiB and no body; returns the status line once the server has closed the
   * connection (a read that times out instead fails the test).
   */
  private static String postHeadOnly(String path, String authorization) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", server.port())) {
      socket.setSoTimeout(10_000);
      String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + (8 << 20) + "\r\n" + (authorization == null ? "" : "Authorization: " + authorization + "\r\n")
          + "\r\n";
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      String statusLine = in.readLine();
      while (in.readLine() != null) {
        // headers, the blank line, the small JSON body, until the server closes
      }
      return statusLine;
    }
  }

  @Test
  void anUnauthenticatedBroadcastIsRefusedBeforeItsBodyIsSent() throws Exception {
    assertThat(postHeadOnly("/api/broadcast", null)).isEqualTo("HTTP/1.1 401 Unauthorized");
    assertThat(postHeadOnly("/api/broadcast", "Bearer wrong")).isEqualTo("HTTP/1.1 401 Unauthorized");
    assertThat(postHeadOnly("/api/users/jack/disconnect", null)).isEqualTo("HTTP/1.1 401 Unauthorized");
  }

  @Test
  void theAdminStillGetsThrough() throws Exception {
    String body = "{\"topic\":\"room:lobby\",\"event\":\"announcement\",\"payload\":{\"text\":\"hi\"}}";
    assertThat(server.post("/api/broadcast", body, ChatServer.ADMIN).status()).isEqualTo(202);
  }
}
