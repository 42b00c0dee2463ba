package dev.cinder.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.StopReason;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class LifecycleTest {
  private final SampleSocket app = new SampleSocket(null);

  @RegisterExtension
  final ChannelTest channels = ChannelTest.forSocket(app)
      .options(SocketOptions.defaults().idleTimeout(Duration.ofSeconds(60)));

  @Test
  void sendInfoRunsHandleInfo() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    room.sendInfo("hello");

    room.assertPush("info", Map.of("message", "hello"));
  }

  @Test
  void sendAfterFiresOnlyWhenTheVirtualClockPassesIt() {
    TestChannel timer = channels.socket(Map.of("user_id", "alice")).join("timer:a", Map.of("ticks", 3));

    channels.clock().advance(Duration.ofMillis(999));
    timer.refutePush("tick");
    assertThat(channels.clock().pendingTimers()).isGreaterThanOrEqualTo(1);

    channels.clock().advance(Duration.ofMillis(1));
    timer.assertPush("tick", Map.of("n", 1));

    channels.clock().advance(Duration.ofSeconds(5)); // the timers handleInfo starts fire within the same advance
    timer.assertPush("tick", Map.of("n", 2));
    timer.assertPush("tick", Map.of("n", 3));
    timer.refutePush("tick");
    assertThat(channels.clock().elapsed()).isEqualTo(Duration.ofSeconds(6));
  }

  @Test
  void leaveTerminatesWithLeft() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    room.leave();

    assertThat(room.isTerminated()).isTrue();
    assertThat(app.terminated).containsExactly("room:lobby:LEFT");
  }

  @Test
  void closingTheSocketTerminatesItsChannelsWithSocketClosed() {
    TestSocket alice = channels.socket(Map.of("user_id", "alice"));
    TestChannel lobby = alice.join("room:lobby");
    TestChannel kitchen = alice.join("room:kitchen");

    alice.close();

    lobby.assertTerminated(StopReason.SOCKET_CLOSED);
    kitchen.assertTerminated(StopReason.SOCKET_CLOSED);
    assertThat(app.terminated).containsExactlyInAnyOrder("room:lobby:SOCKET_CLOSED", "room:kitchen:SOCKET_CLOSED");
  }

  @Test
  void stopEndsTheJoinWithPhxCloseAfterTheReply() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    room.push("stop").assertOk();

    assertThat(room.assertClosed()).isEqualTo(StopReason.STOPPED);
  }

  @Test
  void anExceptionInACallbackCrashesTheChannelAndShowsWhatWasThrown() {
    TestChannel crash = channels.socket(Map.of("user_id", "alice")).join("crash:push");

    crash.push("kaboom");

    assertThat(crash.assertCrashed()).isInstanceOf(IllegalStateException.class).hasMessage("boom: kaboom");
  }

  @Test
  void theIdleTimeoutClosesASilentSocketOnTheVirtualClock() {
    TestSocket quiet = channels.socket(Map.of("user_id", "quiet"));
    TestSocket chatty = channels.socket(Map.of("user_id", "chatty"));
    TestChannel room = quiet.join("room:lobby");

    channels.clock().advance(Duration.ofSeconds(59));
    chatty.heartbeat();
    channels.clock().advance(Duration.ofSeconds(1));

    quiet.assertClosedByServer(1001);
    room.assertTerminated(StopReason.SOCKET_CLOSED);
    assertThat(chatty.isOpen()).isTrue();
    channels.clock().advance(Duration.ofSeconds(59));
    chatty.assertClosedByServer(1001);
  }

  @Test
  void aDisconnectBroadcastToTheSocketIdClosesIt() {
    TestSocket alice = channels.socket(Map.of("user_id", "alice"));

    channels.broadcast("user_socket:alice", "disconnect", Map.of());

    alice.assertClosedByServer(1001);
  }
}
