package dev.cinder.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.LocalPubSub;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RoundTripAndPresenceTest {
  private final PubSub pubSub = new LocalPubSub();
  private final Presence presence = Presence.create(pubSub, pubSub.nodeName());

  @RegisterExtension
  final ChannelTest channels = ChannelTest.forSocket(new SampleSocket(presence)).pubSub(pubSub);

  @AfterEach
  void stopPresence() {
    presence.close();
  }

  @Test
  void aBinaryReplyArrivesAsTheBinaryFrameDecodes() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    Payload response = room.push("bytes").assertOk();

    assertThat(response.isBinary()).isTrue();
    assertThat(response.bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void aPayloadThatDoesNotSerializeCrashesTheChannelWithTheSerializersError() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    room.push("unserializable");

    Throwable failure = room.assertCrashed();
    assertThat(failure).hasStackTraceContaining("this value cannot be serialized");
    room.refutePush("oops");
  }

  @Test
  void presenceStateAndDiffsArriveAsPushes() {
    TestChannel alice = channels.socket(Map.of("user_id", "alice")).join("room:lobby");
    Payload state = alice.assertPush("presence_state");
    assertThat(state.json().isObject()).isTrue();
    Payload aliceJoined = alice.assertPush("presence_diff");
    assertThat(aliceJoined.json().at("/joins/alice/metas/0/status").asString()).isEqualTo("online");

    TestChannel bob = channels.socket(Map.of("user_id", "bob")).join("room:lobby");
    assertThat(bob.assertPush("presence_state").json().has("alice")).isTrue();
    assertThat(alice.assertPush("presence_diff").json().at("/joins/bob/metas/0/status").asString()).isEqualTo("online");

    bob.push("status", Map.of("status", "away")).assertOk();
    assertThat(alice.assertPush("presence_diff").json().at("/joins/bob/metas/0/status").asString()).isEqualTo("away");
  }
}
