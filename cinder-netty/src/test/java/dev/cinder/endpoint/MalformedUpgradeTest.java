package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * WebSocket upgrades a browser never sends get a status and a closed connection, decided before the
 * socket's connect callback runs: 400 for a missing or malformed key or version, 426 (naming version 13)
 * for a version Cinder does not speak; and 400 for a client that sends data before the handshake's answer.
 */
class MalformedUpgradeTest {
  private static final String KEY = "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";
  private static final String VERSION = "Sec-WebSocket-Version: 13\r\n";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** An upgrade with a valid connect (user=a), plus the given key and version lines. */
  private RawHttp upgrade(String user, String keyAndVersion) throws Exception {
    return RawHttp.connect(server.endpoint.port()).send("GET /socket/websocket?user=" + user + "&vsn=2.0.0 HTTP/1.1\r\n"
        + "Host: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nOrigin: http://allowed.example\r\n"
        + keyAndVersion + "\r\n");
  }

  private void assertAnsweredAndClosed(String keyAndVersion, int status) throws Exception {
    try (RawHttp http = upgrade("a", keyAndVersion)) {
      assertThat(http.read().status()).isEqualTo(status);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aMissingKeyIsABadRequest() throws Exception {
    assertAnsweredAndClosed(VERSION, 400);
  }

  @Test
  void aKeyThatIsNotSixteenBase64BytesIsABadRequest() throws Exception {
    assertAnsweredAndClosed("Sec-WebSocket-Key: c2hvcnQ=\r\n" + VERSION, 400);
    assertAnsweredAndClosed("Sec-WebSocket-Key: not base64 at all!\r\n" + VERSION, 400);
  }

  @Test
  void aMissingVersionIsABadRequest() throws Exception {
    assertAnsweredAndClosed(KEY, 400);
  }

  @Test
  void anUnknownVersionGets426NamingVersion13() throws Exception {
    try (RawHttp http = upgrade("a", KEY + "Sec-WebSocket-Version: 99\r\n")) {
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(426);
      assertThat(response.header("sec-websocket-version")).isEqualTo("13");
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void theHandshakeIsCheckedBeforeTheConnectCallback() throws Exception {
    // user=refuse makes connect refuse with 403: a 400 proves connect never ran.
    try (RawHttp http = upgrade("refuse", VERSION)) {
      assertThat(http.read().status()).isEqualTo(400);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void dataSentBeforeTheHandshakesAnswerIsABadRequest() throws Exception {
    // RFC 6455 §4.1: a client waits for the 101 before it sends a frame; one sent with the request is refused.
    byte[] request = ("GET /socket/websocket?user=a&vsn=2.0.0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nOrigin: http://allowed.example\r\n" + KEY + VERSION + "\r\n")
        .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    byte[] frame = {(byte) 0x81, (byte) 0x82, 1, 2, 3, 4, 'h' ^ 1, 'i' ^ 2}; // a masked text frame, "hi"
    byte[] both = java.util.Arrays.copyOf(request, request.length + frame.length);
    System.arraycopy(frame, 0, both, request.length, frame.length);
    try (RawHttp http = RawHttp.connect(server.endpoint.port()).send(both)) {
      assertThat(http.read().status()).isEqualTo(400);
      assertThat(http.closedByServer()).isTrue();
    }
  }

  @Test
  void aWellFormedUpgradeStillSwitchesProtocols() throws Exception {
    try (RawHttp http = upgrade("a", KEY + VERSION)) {
      RawHttp.Response response = http.read();
      assertThat(response.status()).isEqualTo(101);
      assertThat(response.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }
  }
}
