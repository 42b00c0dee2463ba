package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Page 11: the readiness check turns 503 once the drain begins, and a drained client is told 1012. */
class GuideDeployTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  @Test
  void closingDrainsTheClientsWith1012AndReadinessFails() {
    ChatServer server = ChatServer.start(0, GuideSecrets.SECRET_KEY_BASE);
    JsSocket socket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice")));
    assertThat(socket.join("room:deploy", Map.of()).status()).isEqualTo("ok");
    assertThat(Deployment.readiness(server.endpoint()).status()).isEqualTo(200);

    server.close();

    assertThat(socket.awaitClose(WAIT)).isEqualTo(1012);
    assertThat(Deployment.readiness(server.endpoint()).status()).isEqualTo(503);
    socket.disconnect(); // the client would keep trying to reconnect to the stopped server
  }
}
