package dev.cinder.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RecoveryGateTest {
  private final List<Dispatch> sent = new ArrayList<>();
  private final RecoveryGate gate = new RecoveryGate(sent::add);

  private static Dispatch at(String epoch, long offset) {
    return new Dispatch(new Broadcast("t", "msg", Payload.of(Map.of("n", offset))), new Position(epoch, offset));
  }

  @Test
  void liveBroadcastsWaitForTheReplayAndThoseInBothGoOutOnce() {
    Dispatch three = at("e", 3);
    Dispatch four = at("e", 4);
    Dispatch five = at("e", 5);
    gate.offer(four); // live, while the history was read: also in the replay
    gate.offer(five);
    assertThat(sent).isEmpty();
    gate.open(List.of(three, four));
    assertThat(sent).containsExactly(three, four, five);
    gate.offer(five);
    gate.offer(at("e", 6));
    assertThat(sent).extracting(d -> d.position().offset()).containsExactly(3L, 4L, 5L, 6L);
  }

  @Test
  void aNewEpochAndUnrecordedBroadcastsPass() {
    gate.open(List.of(at("e", 7)));
    Dispatch unrecorded = new Dispatch(new Broadcast("t", "presence_diff", Payload.empty()));
    gate.offer(unrecorded);
    gate.offer(at("f", 1));
    assertThat(sent).extracting(Dispatch::position).containsExactly(new Position("e", 7), null, new Position("f", 1));
  }
}
