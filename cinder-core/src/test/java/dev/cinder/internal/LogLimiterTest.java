package dev.cinder.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void theFirstLinesOfAKindPassThenTheRestOfTheMinuteIsSuppressed() {
    LogLimiter limiter = new LogLimiter("user_socket:1");
    long t = 7 * SECOND;
    for (int i = 0; i < LogLimiter.LINES_PER_MINUTE; i++) {
      assertThat(limiter.allow(LogLimiter.Kind.JOIN_REFUSED, t + i)).isTrue();
    }
    for (int i = 0; i < 1_000; i++) {
      assertThat(limiter.allow(LogLimiter.Kind.JOIN_REFUSED, t + 59 * SECOND)).isFalse();
    }
    // Kinds are counted apart.
    assertThat(limiter.allow(LogLimiter.Kind.CHANNEL_FAILURE, t)).isTrue();
    // A minute after the first line, lines pass again.
    assertThat(limiter.allow(LogLimiter.Kind.JOIN_REFUSED, t + 60 * SECOND)).isTrue();
  }
}
