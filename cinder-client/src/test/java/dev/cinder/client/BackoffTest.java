package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BackoffTest {
  private final Backoff backoff = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(5));

  @Test
  void withoutJitterDoublesUpToTheCap() {
    Backoff exact = backoff.withoutJitter();
    assertThat(exact.delay(1)).isEqualTo(Duration.ofMillis(10));
    assertThat(exact.delay(2)).isEqualTo(Duration.ofMillis(20));
    assertThat(exact.delay(3)).isEqualTo(Duration.ofMillis(40));
    assertThat(exact.delay(9)).isEqualTo(Duration.ofMillis(2560));
    assertThat(exact.delay(10)).isEqualTo(Duration.ofSeconds(5));
    assertThat(exact.delay(0)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void fullJitterStaysWithinZeroAndTheCappedDelay() {
    Set<Duration> seen = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      Duration third = backoff.delay(3);
      assertThat(third).isBetween(Duration.ZERO, Duration.ofMillis(40));
      Duration late = backoff.delay(30);
      assertThat(late).isBetween(Duration.ZERO, Duration.ofSeconds(5));
      seen.add(late);
    }
    // uniform over [0, 5 s] in nanoseconds: 2000 draws are (all but certainly) not one value
    assertThat(seen.size()).isGreaterThan(1000);
  }

  @Test
  void noOverflowAtHugeAttempts() {
    for (int attempt : new int[] {62, 63, 64, 65, 1000, Integer.MAX_VALUE}) {
      assertThat(backoff.withoutJitter().delay(attempt)).isEqualTo(Duration.ofSeconds(5));
      assertThat(backoff.delay(attempt)).isBetween(Duration.ZERO, Duration.ofSeconds(5));
    }
    Backoff huge = Backoff.exponential(Duration.ofDays(365 * 100), Duration.ofDays(365 * 200)).withoutJitter();
    assertThat(huge.delay(1000)).isEqualTo(Duration.ofDays(365 * 200));
  }

  @Test
  void fixedHasNoJitter() {
    Backoff fixed = Backoff.fixed(Duration.ofMillis(250));
    assertThat(fixed.delay(1)).isEqualTo(Duration.ofMillis(250));
    assertThat(fixed.delay(1000)).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void refusesABaseOverTheCap() {
    assertThatThrownBy(() -> Backoff.exponential(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
