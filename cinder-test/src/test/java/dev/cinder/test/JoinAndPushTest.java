package dev.cinder.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Params;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JoinAndPushTest {
  private final SampleSocket app = new SampleSocket(null);

  @RegisterExtension
  final ChannelTest channels = ChannelTest.forSocket(app);

  @Test
  void aJoinIsAnsweredWithTheChannelsResponse() {
    JoinResult joined = channels.socket(Map.of("user_id", "alice")).joinResult("room:lobby", Map.of());

    assertThat(joined.isOk()).isTrue();
    assertThat(joined.response().string("welcome")).isEqualTo("alice");
  }

  @Test
  void aRefusedJoinShowsItsResponseAndHasNoChannel() {
    TestSocket bob = channels.socket(Map.of("user_id", "bob"));

    JoinResult refused = bob.joinResult("room:private", Map.of());

    refused.assertError(Map.of("reason", "unauthorized"));
    assertThatThrownBy(refused::channel).isInstanceOf(AssertionError.class)
        .hasMessageContaining("room:private").hasMessageContaining("unauthorized");
  }

  @Test
  void aJoinThatThrowsIsAnsweredJoinCrashedAndShowsTheException() {
    JoinResult crashed = channels.socket(Map.of("user_id", "alice")).joinResult("crash:join", Map.of());

    crashed.assertError(Map.of("reason", "join crashed"));
    assertThat(crashed.failure()).hasMessage("join failed on purpose");
  }

  @Test
  void aTopicWithoutARouteIsRefused() {
    channels.socket(Map.of("user_id", "alice")).joinResult("nowhere", Map.of())
        .assertError(Map.of("reason", "unmatched topic"));
  }

  @Test
  void aPushIsAnsweredWithTheReplyOfHandleIn() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    room.push("ping", Map.of("n", "7")).assertOk(Map.of("pong", "7"));
    room.push("nonsense").assertError(Map.of("reason", "unknown_event"));
  }

  @Test
  void aWrongExpectationSaysWhatCame() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    assertThatThrownBy(() -> room.push("ping", Map.of("n", "1")).assertError())
        .isInstanceOf(AssertionError.class).hasMessageContaining("answered ok {\"pong\":\"1\"}");
    assertThatThrownBy(() -> room.push("ping", Map.of("n", "2")).assertOk(Map.of("pong", "3")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("expected {\"pong\":\"3\"} but got {\"pong\":\"2\"}");
  }

  @Test
  void aPushWithoutReplyIsRefutedWithAFenceAndItsPushArrives() {
    TestChannel room = channels.socket(Map.of("user_id", "alice")).join("room:lobby");

    PendingReply whisper = room.push("whisper", Map.of("body", "psst"));

    whisper.refuteReply();
    room.assertPush("whispered", Map.of("body", "psst"));
    room.refutePush("whispered");
  }

  @Test
  void connectRunsTheHandlersConnectAndId() {
    TestSocket carol = channels.connect(new Params(Map.of("token", "user:carol")));

    assertThat(carol.id()).isEqualTo("user_socket:carol");
    assertThat(carol.assigns().<String>get("user_id")).isEqualTo("carol");
    assertThat(carol.join("room:lobby").topic()).isEqualTo("room:lobby");
  }

  @Test
  void aRefusedConnectIsEmptyOrFailsClearly() {
    assertThat(channels.tryConnect(new Params(Map.of("token", "forged")))).isEmpty();
    assertThatThrownBy(() -> channels.connect(Map.of("token", "forged")))
        .isInstanceOf(AssertionError.class).hasMessageContaining("refused");
  }

  @Test
  void anUnsupportedVsnIsRefusedAsOnAServer() {
    assertThat(channels.tryConnect(new Params(Map.of("token", "user:carol", "vsn", "3.0.0")))).isEmpty();
  }
}
