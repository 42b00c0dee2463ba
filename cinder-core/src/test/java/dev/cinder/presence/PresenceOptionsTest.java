package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Periods that would make quiet, healthy peers look dead are refused with a message that says what to change. */
class PresenceOptionsTest {
  @Test
  void aDownPeriodShorterThanTheIdleHeartbeatIntervalIsRefused() {
    PresenceOptions flapping = PresenceOptions.defaults().broadcastPeriod(Duration.ofMillis(750)).downPeriod(Duration.ofSeconds(3));
    assertThatThrownBy(() -> Presence.create(new LocalPubSub(), "n1", flapping))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxSilentPeriods");
    PresenceOptions quiet = flapping.maxSilentPeriods(2); // idle heartbeat every 2.25 s < 3 s
    assertThatCode(() -> Presence.create(new LocalPubSub(), "n1", quiet).close()).doesNotThrowAnyException();
  }
}
