package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Payload;
import dev.cinder.StopReason;
import dev.cinder.test.ChannelTest;
import dev.cinder.test.TestChannel;
import dev.cinder.test.TestSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * {@link RoomChannel} in-process with {@link ChannelTest}: its replies, what follows a join, each recipient's copy of
 * the intercepted events, and its limits. The contract tests check the same app from outside, with the official
 * client over a real server; these run in milliseconds and show the channel's behaviour one step at a time.
 */
class RoomChannelTest {
  private static final ChatConfig.RateLimitSetting GENEROUS = new ChatConfig.RateLimitSetting(100, Duration.ofMinutes(1));
  private static final ChatConfig.RateLimitSetting TWICE = new ChatConfig.RateLimitSetting(2, Duration.ofHours(1));

  private final InProcessChat chat = InProcessChat.open(GENEROUS, TWICE, TWICE);

  @RegisterExtension
  final ChannelTest channels = chat.channels();

  @AfterEach
  void closeChat() {
    channels.close(); // the channels first: their terminate hooks untrack presences
    chat.close();
  }

  /** A socket of {@code user}, connected with a signed token as the page does. */
  private TestSocket user(String user) {
    return channels.connect(Map.of("token", chat.token(user), "device", "test"));
  }

  /** Joins a room and takes what every join gets first: the history, the presence state, its own user_joined. */
  private TestChannel joinRoom(String user, String topic) {
    TestChannel room = user(user).join(topic);
    room.assertPush("message_history");
    room.assertPush("presence_state");
    room.assertPush("user_joined", Map.of("user_id", user, "relationship", "self"));
    return room;
  }

  @Test
  void aJoinGetsTheRoomsHistoryThenThePresenceStateThenItsOwnUserJoined() throws Exception {
    chat.messages.insert("lobby", "bob", "first");
    chat.messages.insert("lobby", "bob", "second");

    TestChannel alice = user("alice").join("room:lobby");

    List<String> bodies = alice.assertPush("message_history").json().get("messages").valueStream()
        .map(m -> m.get("body").asString()).toList();
    assertThat(bodies).containsExactly("first", "second");
    assertThat(alice.assertPush("presence_state").json().isObject()).isTrue();
    alice.assertPush("user_joined", Map.of("user_id", "alice", "relationship", "self"));
    JsonNode diff = alice.assertPush("presence_diff").json();
    assertThat(diff.at("/joins/alice/metas/0/device").asString()).isEqualTo("test");
  }

  @Test
  void roomIdsAreCheckedAndTheSecretRoomIsForItsMembers() {
    user("carol").joinResult("room:no spaces", Map.of()).assertError(Map.of("reason", "invalid_room"));
    user("carol").joinResult("room:secret", Map.of()).assertError(Map.of("reason", "not_a_member"));
    assertThat(user("alice").joinResult("room:secret", Map.of()).isOk()).isTrue();
  }

  @Test
  void pingEchoesItsPayload() {
    TestChannel room = joinRoom("alice", "room:echo");

    room.push("ping", Map.of("n", 1, "text", "héllo")).assertOk(Map.of("n", 1, "text", "héllo"));
  }

  @Test
  void eachRecipientsCopyOfANewMessageSaysWhetherItIsTheirOwn() {
    TestChannel alice = joinRoom("alice", "room:pair");
    TestChannel bob = joinRoom("bob", "room:pair");

    alice.push("new_msg", Map.of("body", "hi <b>bob</b>")).refuteReply();

    Payload sent = channels.assertBroadcast("room:pair", "new_msg");
    assertThat(sent.string("body")).isEqualTo("hi bob");
    assertThat(sent.field("is_own_message")).isNull(); // added per recipient, by handleOut
    assertThat(alice.assertPush("new_msg").bool("is_own_message")).isTrue();
    assertThat(bob.assertPush("new_msg").bool("is_own_message")).isFalse();
  }

  @Test
  void aBlockedAuthorIsSilencedForTheBlockerOnlyAndShownAsBlockedWhenJoining() {
    TestChannel ann = joinRoom("ann", "room:trio");
    TestChannel ben = joinRoom("ben", "room:trio");
    ann.assertPush("user_joined", Map.of("user_id", "ben", "relationship", "none"));

    ann.push("block", Map.of("user_id", "cal")).assertOk();
    TestChannel cal = joinRoom("cal", "room:trio");
    ann.assertPush("user_joined", Map.of("user_id", "cal", "relationship", "blocked"));
    ben.assertPush("user_joined", Map.of("user_id", "cal", "relationship", "none"));

    cal.push("new_msg", Map.of("body", "anyone?"));
    cal.assertPush("new_msg");
    ben.assertPush("new_msg");
    ann.refutePush("new_msg");
  }

  @Test
  void blockRefusesBadTargets() {
    TestChannel dan = joinRoom("dan", "room:blocks");

    dan.push("block", Map.of("user_id", "dan")).assertError(Map.of("reason", "you cannot block yourself"));
    dan.push("block", Map.of("user_id", "no spaces")).assertError();
  }

  @Test
  void aRefusedNewMessageIsAnErrorPushToTheSenderOnly() {
    TestChannel eve = joinRoom("eve", "room:errors");
    TestChannel fay = joinRoom("fay", "room:errors");

    eve.push("new_msg", Map.of("body", "<br>")).refuteReply();

    eve.assertPush("error", Map.of("reason", "Missing required fields: body"));
    channels.refuteBroadcast("room:errors", "new_msg");
    fay.refutePush("error");
  }

  @Test
  void typingReachesTheOthersUntilTheBudgetIsSpentThenIsDroppedSilently() {
    TestChannel gus = joinRoom("gus", "room:typing");
    TestChannel hal = joinRoom("hal", "room:typing");

    gus.push("typing", Map.of("typing", "yes")).assertError(Map.of("reason", "typing must be true or false"));
    gus.push("typing", Map.of("typing", true)).refuteReply();
    gus.push("typing", Map.of("typing", false)).refuteReply();
    gus.push("typing", Map.of("typing", true)).refuteReply(); // the third is over the budget of 2

    hal.assertPush("user_typing", Map.of("user_id", "gus", "typing", true));
    hal.assertPush("user_typing", Map.of("user_id", "gus", "typing", false));
    hal.refutePush("user_typing");
    gus.refutePush("user_typing"); // broadcastFrom: not to the typist
  }

  @Test
  void statusUpdatesChangeThePresenceUntilTheBudgetIsSpent() {
    TestChannel ida = joinRoom("ida", "room:status");

    ida.push("update_status", Map.of("status", "")).assertError();
    ida.push("update_status", Map.of("status", "away")).assertOk();
    ida.push("update_status", Map.of("status", "busy")).assertOk();
    ida.push("update_status", Map.of("status", "back")).assertError(RoomEventLimits.STATUS_RATE_LIMITED);

    assertThat(chat.presence.list("room:status").get("ida").toString()).contains("busy");
  }

  @Test
  void leavingUntracksThePresence() {
    TestChannel jon = joinRoom("jon", "room:leave");
    TestChannel kim = joinRoom("kim", "room:leave");

    jon.leave();

    kim.assertPush("presence_diff"); // the joins, batched
    assertThat(chat.presence.list("room:leave")).doesNotContainKey("jon");
    jon.assertTerminated(StopReason.LEFT);
  }
}
