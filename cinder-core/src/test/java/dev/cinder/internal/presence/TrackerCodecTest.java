package dev.cinder.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Payload;
import dev.cinder.internal.presence.TrackerMessage.GracefulPermdown;
import dev.cinder.internal.presence.TrackerMessage.Heartbeat;
import dev.cinder.internal.presence.TrackerMessage.TransferAck;
import dev.cinder.internal.presence.TrackerMessage.TransferReq;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Tracker messages survive a trip through JSON text, as a cluster adapter will carry them. */
class TrackerCodecTest {
  private static final ReplicaRef A = new ReplicaRef("a@host", 1_732_000_000_000_123L);
  private static final ReplicaRef B = new ReplicaRef("b@host", 7);
  private static final Element E1 = new Element(A, 3, "room:1", "42",
      Map.of("phx_ref", "GEF0dTz3rXEAAQAB", "device", "phone", "n", 1, "nested", Map.of("x", List.of(1, 2))), null);
  private static final Element E2 = new Element(B, 9, "room:2", "77", Map.of("phx_ref", "GEF0dWm2kXEAAwAD"), null);

  private static TrackerMessage roundTrip(TrackerMessage message) {
    Payload text = Payload.parse(TrackerCodec.encode(message).toString());
    return TrackerCodec.decode(TrackerCodec.event(message), text);
  }

  @Test
  void heartbeatsWithAndWithoutADelta() {
    Heartbeat full = new Heartbeat(A, new Delta(A, 2, 5, List.of(E1), List.of(1L, 2L)), Map.of(A, 5L, B, 9L));
    assertThat(roundTrip(full)).isEqualTo(full);
    Heartbeat empty = new Heartbeat(A, null, Map.of(A, 5L));
    assertThat(roundTrip(empty)).isEqualTo(empty);
  }

  @Test
  void transfersAreDirected() {
    TransferReq req = new TransferReq(A, "b@host", 12, Map.of(A, 5L, B, 0L));
    assertThat(roundTrip(req)).isEqualTo(req);
    assertThat(TrackerCodec.recipient(TrackerCodec.encode(req))).isEqualTo("b@host");

    TransferAck ack = new TransferAck(B, "a@host", 12, new StateSnapshot(Map.of(A, 3L, B, 9L), List.of(E1, E2)));
    assertThat(roundTrip(ack)).isEqualTo(ack);
    assertThat(TrackerCodec.recipient(TrackerCodec.encode(new GracefulPermdown(A)))).isNull();
    assertThat(roundTrip(new GracefulPermdown(A))).isEqualTo(new GracefulPermdown(A));
  }

  @Test
  void theHeartbeatPayloadIsCompactJson() {
    Heartbeat heartbeat = new Heartbeat(B, new Delta(B, 8, 9, List.of(E2), List.of()), Map.of(B, 9L));
    assertThat(TrackerCodec.encode(heartbeat).toString()).isEqualTo("""
        {"from":["b@host",7],"clocks":[["b@host",7,9]],"delta":{"from":8,"to":9,\
        "adds":[[9,"room:2","77",{"phx_ref":"GEF0dWm2kXEAAwAD"}]],"removes":[]}}""");
  }

  @Test
  void somethingElseIsRefused() {
    assertThatThrownBy(() -> TrackerCodec.decode("heartbeat", Payload.parse("{\"from\":1}")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrackerCodec.decode("hello", Payload.parse("{\"from\":[\"a\",1]}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
