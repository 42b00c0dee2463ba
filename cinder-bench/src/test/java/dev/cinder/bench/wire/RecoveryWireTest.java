package dev.cinder.bench.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Positions in refs, the join payload that asks for recovery, and the recovery a join reply carries. */
class RecoveryWireTest {
  @Test
  void aBroadcastsRefIsItsPosition() {
    ServerFrame f = ServerFrame.parse("[null,\"k3x9q2mv:44\",\"room:1\",\"new_msg\",{\"seq\":3}]"
        .getBytes(StandardCharsets.UTF_8));
    assertThat(Position.isPosition(f.ref())).isTrue();
    assertThat(Position.parse(f.ref())).isEqualTo(new Position("k3x9q2mv", 44));
  }

  @Test
  void numericRefsAndOddTextAreNoPositions() {
    assertThat(Position.isPosition("12")).isFalse();
    assertThat(Position.isPosition(null)).isFalse();
    assertThat(Position.parse("12")).isNull();
    assertThat(Position.parse(null)).isNull();
    assertThat(Position.parse(":4")).isNull();
    assertThat(Position.parse("k3x9q2mv:")).isNull();
    assertThat(Position.parse("k3x9q2mv:4a")).isNull();
    assertThat(Position.parse("k3x9q2mv:99999999999999999999")).isNull(); // more digits than a long holds
  }

  @Test
  void joinsAskForRecoveryWithTrueOrTheLastPosition() {
    assertThat(ClientFrames.join("1", "room:1", ClientFrames.recoverPayload(null)))
        .isEqualTo("[\"1\",\"1\",\"room:1\",\"phx_join\",{\"recover\":true}]");
    assertThat(ClientFrames.join("1", "room:1", ClientFrames.recoverPayload("k3x9q2mv:44")))
        .isEqualTo("[\"1\",\"1\",\"room:1\",\"phx_join\",{\"recover\":\"k3x9q2mv:44\"}]");
    assertThat(ClientFrames.join("1", "room:1")).isEqualTo("[\"1\",\"1\",\"room:1\",\"phx_join\",{}]");
  }

  @Test
  void readsTheRecoveryOfAJoinReply() {
    RecoveryReply ok = RecoveryReply.parse(
        "{\"status\":\"ok\",\"response\":{\"recovery\":{\"recovered\":true,\"position\":\"k3x9q2mv:45\"}}}");
    assertThat(ok).isEqualTo(new RecoveryReply(true, "k3x9q2mv:45", null));
    assertThat(ok.outcome()).isEqualTo("recovered");
    RecoveryReply old = RecoveryReply.parse("{\"status\":\"ok\",\"response\":{\"recovery\":"
        + "{\"recovered\":false,\"position\":\"k3x9q2mv:45\",\"reason\":\"too_old\"}}}");
    assertThat(old).isEqualTo(new RecoveryReply(false, "k3x9q2mv:45", "too_old"));
    assertThat(old.outcome()).isEqualTo("not recovered: too_old");
  }

  @Test
  void aTopicWithoutHistoryRepliesWithoutRecovery() {
    assertThat(RecoveryReply.parse("{\"status\":\"ok\",\"response\":{}}")).isNull();
    assertThat(RecoveryReply.parse("{\"status\":\"ok\",\"response\":{\"recovery\":\"x\"}}")).isNull();
  }
}
