package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Page 04: each reader of FeedChannel gets its own copy of an intercepted broadcast, or none. */
class GuideInterceptTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  private static ChatServer server;

  @BeforeAll
  static void start() {
    server = ChatServer.start(0, GuideSecrets.SECRET_KEY_BASE);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static JsChannel joined(String user, Map<String, ?> params) {
    JsChannel channel = js.connect(server.socketUrl(), Map.of("token", server.tokenFor(user))).channel("feed:news");
    assertThat(channel.join(params).status()).isEqualTo("ok");
    return channel;
  }

  @Test
  void eachReaderGetsItsOwnCopyAndAMutedAuthorIsLeftOut() {
    JsChannel alice = joined("alice", Map.of());
    JsChannel bob = joined("bob", Map.of("muted", "alice"));
    JsChannel carol = joined("carol", Map.of());
    assertThat(alice.push("post", Map.of("body", "first")).status()).isEqualTo("ok");
    JsMessage own = alice.awaitMessage("new_post", WAIT);
    assertThat(own.payload().get("is_own").booleanValue()).isTrue();
    JsMessage others = carol.awaitMessage("new_post", WAIT);
    assertThat(others.payload().get("author").stringValue()).isEqualTo("alice");
    assertThat(others.payload().get("is_own").booleanValue()).isFalse();
    // carol's post comes after alice's on the same topic: bob's first post is carol's, alice's never came.
    carol.push("post", Map.of("body", "second"));
    JsMessage bobsFirst = bob.awaitMessage("new_post", WAIT);
    assertThat(bobsFirst.payload().get("author").stringValue()).isEqualTo("carol");
    bob.assertNoMessage("new_post", Duration.ZERO);
  }
}
