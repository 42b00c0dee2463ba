package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Page 03: broadcast, broadcastFrom and a broadcast from outside any channel, seen by two clients. */
class GuideBroadcastTest extends GuideServerTest {
  @Test
  void aBroadcastReachesEveryoneInTheRoomTheSenderIncluded() {
    JsChannel alice = joined("alice", "room:shouts");
    JsChannel bob = joined("bob", "room:shouts");
    assertThat(alice.push("shout", Map.of("body", "hello")).status()).isEqualTo("ok");
    for (JsChannel member : new JsChannel[] {alice, bob}) {
      JsMessage shout = member.awaitMessage("shout", WAIT);
      assertThat(shout.payload().get("from").stringValue()).isEqualTo("alice");
      assertThat(shout.payload().get("body").stringValue()).isEqualTo("hello");
    }
  }

  @Test
  void broadcastFromSkipsTheSender() {
    JsChannel alice = joined("alice", "room:typing");
    JsChannel bob = joined("bob", "room:typing");
    alice.pushNoReply("typing", Map.of());
    assertThat(bob.awaitMessage("typing", WAIT).payload().get("user_id").stringValue()).isEqualTo("alice");
    // A shout sent after the typing reaches alice after it would have: she got no typing before it.
    alice.push("shout", Map.of("body", "fence"));
    alice.awaitMessage("shout", WAIT);
    alice.assertNoMessage("typing", Duration.ZERO);
  }

  @Test
  void theServerCanBroadcastFromOutsideAnyChannel() {
    JsChannel alice = joined("alice", "room:news");
    JsChannel bob = joined("bob", "room:news");
    server.announce("news", "maintenance at noon");
    assertThat(alice.awaitMessage("announcement", WAIT).payload().get("text").stringValue()).isEqualTo("maintenance at noon");
    assertThat(bob.awaitMessage("announcement", WAIT).payload().get("text").stringValue()).isEqualTo("maintenance at noon");
  }
}
