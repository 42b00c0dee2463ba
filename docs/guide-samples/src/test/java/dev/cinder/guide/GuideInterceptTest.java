package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Page 04: each reader of FeedChannel gets its own copy of an intercepted broadcast, or none. */
class GuideInterceptTest extends GuideServerTest {
  @Test
  void eachReaderGetsItsOwnCopyAndAMutedAuthorIsLeftOut() {
    JsChannel alice = joined("alice", "feed:news", Map.of());
    JsChannel bob = joined("bob", "feed:news", Map.of("muted", "alice"));
    JsChannel carol = joined("carol", "feed:news", Map.of());
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
