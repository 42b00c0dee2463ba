package dev.cinder.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The phoenix LongPoll transport under Node (fetch), and the WebSocket-to-long-poll fallback. */
class LongPollRoundTripTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  private static PhoenixJs js;
  private MiniLongPollServer server;

  @BeforeAll
  static void startDriver() {
    js = PhoenixJs.start();
  }

  @AfterAll
  static void stopDriver() {
    js.assertNoDriverErrors();
    js.close();
  }

  @BeforeEach
  void startServer() throws IOException {
    server = new MiniLongPollServer(new MiniPhoenix());
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void joinsPushesAndReceivesOverLongPoll() {
    var socket = js.connect(server.url(), JsSocketOptions.create().transport(JsTransport.LONGPOLL)
        .params(Map.of("token", "abc")).authToken("secret").headers(Map.of("Origin", "http://example.com")));
    var lobby = socket.channel("presence:lobby").trackPresence();

    assertThat(lobby.join().isOk()).isTrue();
    assertThat(lobby.push("echo", Map.of("n", 1)).response().path("n").asInt()).isEqualTo(1);
    lobby.pushNoReply("shout", Map.of("body", "all"));
    assertThat(lobby.awaitMessage("shout", WAIT).payload().path("body").asString()).isEqualTo("all");
    assertThat(lobby.awaitPresenceSync(list -> list.size() == 2, WAIT)).hasSize(2);
    assertThat(socket.ping()).isNotNegative();
    assertThat(socket.transport()).isEqualTo("LongPoll");

    var handshake = server.requests.getFirst();
    assertThat(handshake.method()).isEqualTo("GET");
    assertThat(handshake.query()).startsWith("token=abc&vsn=2.0.0");
    assertThat(handshake.headers().getFirst("X-Phoenix-AuthToken")).isEqualTo("secret");
    assertThat(server.requests).allSatisfy(r -> assertThat(r.headers().getFirst("Origin")).isEqualTo("http://example.com"));
    assertThat(server.requests).anySatisfy(r -> {
      assertThat(r.method()).isEqualTo("POST");
      assertThat(r.headers().getFirst("Content-Type")).isEqualTo("application/x-ndjson");
    });
    socket.disconnect();
  }

  @Test
  void fallsBackFromARefusedWebSocketAndRemembersIt() {
    var socket = js.connect(server.url(), JsSocketOptions.create().longPollFallback(Duration.ofMillis(2500)));

    assertThat(socket.transport()).isEqualTo("LongPoll");
    assertThat(server.webSocketAttempts).hasValue(1);
    assertThat(socket.state().path("sessionStorage").path("phx:fallback:LongPoll").asString()).isEqualTo("true");
    assertThat(socket.channel("room:1").join().isOk()).isTrue();
    socket.disconnect();
  }

  @Test
  void aRememberedFallbackSkipsTheWebSocket() {
    var socket = js.connect(server.url(), JsSocketOptions.create().longPollFallback(Duration.ofMillis(2500))
        .sessionStorage(Map.of("phx:fallback:LongPoll", "true")));

    assertThat(socket.transport()).isEqualTo("LongPoll");
    assertThat(server.webSocketAttempts).hasValue(0);
    socket.disconnect();
  }
}
