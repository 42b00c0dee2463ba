package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An endpoint that cannot work is refused when the builder is made, not left to reconnect for ever. */
class SocketBuilderTest {
  @ParameterizedTest
  @ValueSource(strings = {
      "ftp://127.0.0.1:4000/socket", "not a url at all", "/socket", "ws:/socket", "mailto:a@b.c", ""})
  void refusesEndpointsThatAreNotWebSocketOrHttpUrls(String endpoint) {
    assertThatThrownBy(() -> Socket.builder(endpoint)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("endpoint");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ws://127.0.0.1:4000/socket", "wss://example.com/socket", "http://localhost/socket",
      "HTTPS://example.com:8443/a/b/socket?x=1"})
  void acceptsWebSocketAndHttpUrls(String endpoint) {
    assertThatCode(() -> Socket.builder(endpoint).build()).doesNotThrowAnyException();
  }
}
