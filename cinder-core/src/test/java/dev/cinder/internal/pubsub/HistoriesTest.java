package dev.cinder.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.History;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Routes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoriesTest {
  private static final History KEPT = History.of(5, Duration.ofMinutes(1));
  private static final Channel CHANNEL = new Channel() {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }
  };

  @Test
  void theFirstMatchingRouteDecidesWhatATopicKeeps() {
    Histories histories = new Histories(new MemoryHistory());
    assertThat(histories.of("room:lobby")).isNull();
    histories.declare(new Routes()
        .channel("room:quiet", () -> CHANNEL)
        .channel("room:*", () -> CHANNEL, KEPT));
    assertThat(histories.of("room:quiet")).as("declared first, without a history").isNull();
    assertThat(histories.of("room:lobby")).isEqualTo(KEPT);
    assertThat(histories.of("user:1")).isNull();
  }

  @Test
  void aBinaryBroadcastOnATopicThatKeepsAHistoryIsRefused() {
    Histories histories = new Histories(new MemoryHistory());
    List<Dispatch> delivered = new ArrayList<>();
    Broadcast binary = new Broadcast("room:1", "blob", Payload.binary(new byte[] {1, 2}));
    assertThatThrownBy(() -> histories.append(binary, KEPT, delivered::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("binary payload cannot carry its position");
    assertThat(delivered).isEmpty();
  }
}
