package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guide's chat server on a free port and the official client, started once for the tests of one page. */
abstract class GuideServerTest {
  static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  static ChatServer server;

  @BeforeAll
  static void startServer() {
    server = ChatServer.start(0, GuideSecrets.SECRET_KEY_BASE);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  /** A socket of {@code user}, signed in with the token the guide's server hands out. */
  static JsSocket connect(String user) {
    return js.connect(server.socketUrl(), Map.of("token", server.tokenFor(user)));
  }

  /** {@code user} on a socket of their own, joined to {@code topic}. */
  static JsChannel joined(String user, String topic) {
    return joined(user, topic, Map.of());
  }

  /** {@code user} on a socket of their own, joined to {@code topic} with {@code params}. */
  static JsChannel joined(String user, String topic, Map<String, ?> params) {
    JsChannel channel = connect(user).channel(topic);
    assertThat(channel.join(params).status()).isEqualTo("ok");
    return channel;
  }
}
