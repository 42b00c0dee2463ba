package dev.cinder.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket on a clock the test drives. */
class InboundRateLimitTest {
  private static final long MS = 1_000_000L;

  @Test
  void aFullBucketAdmitsTheBurstAtOnceThenRefillsAtTheRate() {
    long t = 1_000 * MS;
    InboundRateLimit limit = new InboundRateLimit(100, 500, t); // one message per 10 ms
    for (int i = 0; i < 500; i++) {
      assertThat(limit.tryAcquire(t)).as("message %d of the burst", i).isTrue();
    }
    assertThat(limit.tryAcquire(t)).isFalse();
    assertThat(limit.tryAcquire(t + 9 * MS)).isFalse();
    assertThat(limit.tryAcquire(t + 10 * MS)).isTrue();
    assertThat(limit.tryAcquire(t + 10 * MS)).isFalse();
  }

  @Test
  void aSteadyClientAtTheRateIsNeverRefused() {
    long t = 0;
    InboundRateLimit limit = new InboundRateLimit(100, 1, t);
    for (int i = 0; i < 10_000; i++) {
      t += 10 * MS;
      assertThat(limit.tryAcquire(t)).isTrue();
    }
  }

  @Test
  void anIdleClientGetsNoMoreThanOneBurst() {
    long t = 0;
    InboundRateLimit limit = new InboundRateLimit(100, 3, t);
    t += 3_600_000 * MS; // an hour idle
    assertThat(limit.tryAcquire(t)).isTrue();
    assertThat(limit.tryAcquire(t)).isTrue();
    assertThat(limit.tryAcquire(t)).isTrue();
    assertThat(limit.tryAcquire(t)).isFalse();
  }

  @Test
  void worksAcrossNegativeClockValues() {
    long t = -5 * MS; // System.nanoTime() may be negative
    InboundRateLimit limit = new InboundRateLimit(1_000, 2, t);
    assertThat(limit.tryAcquire(t)).isTrue();
    assertThat(limit.tryAcquire(t)).isTrue();
    assertThat(limit.tryAcquire(t)).isFalse();
    assertThat(limit.tryAcquire(t + MS)).isTrue();
  }
}
