package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Assigns;
import dev.cinder.PubSub;
import dev.cinder.StopReason;
import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.test.ChannelTest;
import dev.cinder.test.PendingReply;
import dev.cinder.test.TestChannel;
import dev.cinder.test.TestSocket;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The guide's RoomChannel in-process with ChannelTest (docs/guide/10-testing-channels.md, first section). */
class GuideInProcessTest {
  // region: in-process-setup
  static final PubSub pubSub = new LocalPubSub();
  static final Presence presence = Presence.create(pubSub, pubSub.nodeName());
  static final PhoenixToken tokens = PhoenixToken.forSecret("a secret key base of at least 20 bytes");
  static final Offloader jobs = Offloader.builder().build();

  /** The app's socket, in-process: no server, no port; every test's sockets are closed after it. */
  @RegisterExtension
  static final ChannelTest channels =
      ChannelTest.forSocket(new UserSocket(tokens, presence, jobs)).pubSub(pubSub);
  // endregion

  @AfterAll
  static void stop() {
    presence.close();
    jobs.close();
  }

  // region: in-process-test
  @Test
  void aShoutReachesEveryoneInTheRoom() {
    TestSocket alice = channels.connect(Map.of("token", UserSocket.tokenFor(tokens, "alice")));
    TestSocket bob = channels.socket(Assigns.of(Map.of("user_id", "bob"))); // skips connect
    TestChannel aliceInLobby = alice.join("room:lobby");
    TestChannel bobInLobby = bob.join("room:lobby");

    aliceInLobby.push("shout", Map.of("body", "hi")).assertOk();

    bobInLobby.assertPush("shout", Map.of("from", "alice", "body", "hi"));
    channels.assertBroadcast("room:lobby", "shout");
    bob.joinResult("room:staff-only", Map.of()).assertError(Map.of("reason", "unauthorized"));
  }
  // endregion

  // region: in-process-absence
  @Test
  void typingGoesToTheOthersOnly() {
    TestChannel alice = channels.socket(Assigns.of(Map.of("user_id", "alice"))).join("room:office");
    TestChannel bob = channels.socket(Assigns.of(Map.of("user_id", "bob"))).join("room:office");

    alice.push("typing").refuteReply();

    bob.assertPush("typing", Map.of("user_id", "alice"));
    alice.refutePush("typing"); // a marker through every channel's mailbox, then the check: no sleep
  }
  // endregion

  // region: in-process-clock
  @Test
  void aLateReplyComesWhenItsTimerFires() {
    TestChannel room = channels.socket(Assigns.of(Map.of("user_id", "alice"))).join("room:lobby");

    PendingReply echo = room.push("slow_echo", Map.of("n", 1));
    echo.refuteReply(); // the channel's sendAfter waits on the virtual clock
    channels.clock().advance(Duration.ofMillis(200));

    echo.assertOk(Map.of("n", 1));
    room.leave();
    assertThat(room.isTerminated()).isTrue();
  }
  // endregion

  @Test
  void leaveRoomStopsTheChannel() {
    TestChannel room = channels.socket(Assigns.of(Map.of("user_id", "alice"))).join("room:lobby");

    room.push("leave_room").assertOk();

    assertThat(room.assertClosed()).isEqualTo(StopReason.STOPPED);
  }
}
