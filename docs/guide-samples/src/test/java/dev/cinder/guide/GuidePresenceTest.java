package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Page 05: the client's Presence follows who is in the room, from presence_state and presence_diff. */
class GuidePresenceTest extends GuideServerTest {
  private static Set<String> keys(JsonNode state) {
    Set<String> keys = new TreeSet<>();
    state.propertyNames().forEach(keys::add);
    return keys;
  }

  @Test
  void theClientSeesWhoIsInTheRoom() {
    JsSocket aliceSocket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice")));
    JsChannel alice = aliceSocket.channel("room:presence").trackPresence();
    assertThat(alice.join().status()).isEqualTo("ok");
    JsMessage state = alice.awaitMessage("presence_state", WAIT);
    assertThat(state.payload().isObject()).isTrue(); // before alice's own track: the room was empty
    JsonNode aliceOnly = alice.awaitPresenceState(s -> keys(s).equals(Set.of("alice")), WAIT);
    JsonNode meta = aliceOnly.get("alice").get("metas").get(0);
    assertThat(meta.get("online_at").isNumber()).isTrue();
    assertThat(meta.get("phx_ref").isString()).isTrue();

    JsChannel bob = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("bob")))
        .channel("room:presence").trackPresence();
    assertThat(bob.join().status()).isEqualTo("ok");
    alice.awaitPresenceState(s -> keys(s).equals(Set.of("alice", "bob")), WAIT);
    bob.awaitPresenceState(s -> keys(s).equals(Set.of("alice", "bob")), WAIT);

    assertThat(bob.leave().status()).isEqualTo("ok");
    alice.awaitPresenceState(s -> keys(s).equals(Set.of("alice")), WAIT);
    assertThat(server.presence().list("room:presence")).containsOnlyKeys("alice");
  }

  @Test
  void aStageRoomSendsCountsNotLists() {
    JsChannel alice = joined("alice", "room:stage-keynote");
    assertThat(alice.awaitMessage("presence_count", WAIT).payload().toString()).isEqualTo("{\"count\":0}");
    alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 1, WAIT);
    JsChannel bob = joined("bob", "room:stage-keynote");
    alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 2, WAIT);
    assertThat(bob.awaitMessage("presence_count", WAIT).payload().path("count").asInt()).isEqualTo(1);
    assertThat(bob.leave().status()).isEqualTo("ok");
    alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 1, WAIT);
    assertThat(alice.messages()).extracting(JsMessage::event).doesNotContain("presence_state", "presence_diff");
    assertThat(server.presence().list("room:stage-keynote")).containsOnlyKeys("alice");
  }
}
