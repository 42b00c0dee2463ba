package dev.cinder.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The delay before a retry: exponential with a cap, with "full jitter" (uniform between zero and the capped delay)
 * by default, or fixed. Immutable and thread-safe.
 */
public final class Backoff {
  private final long baseNanos;
  private final long capNanos;
  private final boolean exponential;
  private final boolean jitter;

  private Backoff(long baseNanos, long capNanos, boolean exponential, boolean jitter) {
    this.baseNanos = baseNanos;
    this.capNanos = capNanos;
    this.exponential = exponential;
    this.jitter = jitter;
  }

  /**
   * {@code base * 2^(attempt-1)}, at most {@code cap}, with full jitter.
   *
   * @param base the delay of the first attempt (before jitter)
   * @param cap the largest delay
   * @return the backoff
   */
  public static Backoff exponential(Duration base, Duration cap) {
    long b = saturatedNanos(base);
    long c = saturatedNanos(cap);
    if (b < 0 || c < b) {
      throw new IllegalArgumentException("need 0 <= base <= cap, got base " + base + ", cap " + cap);
    }
    return new Backoff(b, c, true, true);
  }

  /**
   * The same delay for every attempt, without jitter.
   *
   * @param delay the delay
   * @return the backoff
   */
  public static Backoff fixed(Duration delay) {
    long d = saturatedNanos(delay);
    if (d < 0) {
      throw new IllegalArgumentException("negative delay " + delay);
    }
    return new Backoff(d, d, false, false);
  }

  /**
   * This backoff without jitter: every delay is the capped exponential one.
   *
   * @return a deterministic backoff
   */
  public Backoff withoutJitter() {
    return new Backoff(baseNanos, capNanos, exponential, false);
  }

  /**
   * The delay before an attempt.
   *
   * @param attempt the attempt, from 1 (values below 1 count as 1)
   * @return the delay: with jitter, uniform in [0, capped delay]
   */
  public Duration delay(int attempt) {
    long capped = exponential ? cappedNanos(Math.max(1, attempt)) : baseNanos;
    long nanos = jitter && capped > 0 ? ThreadLocalRandom.current().nextLong(capped + 1 > 0 ? capped + 1 : capped)
        : capped;
    return Duration.ofNanos(nanos);
  }

  private long cappedNanos(int attempt) {
    int shift = attempt - 1;
    // base << shift would overflow past 62 shifts or past the cap: the cap then applies
    if (shift >= 62 || baseNanos > (capNanos >> shift)) {
      return capNanos;
    }
    return Math.min(capNanos, baseNanos << shift);
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException tooLong) {
      return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return exponential
        ? "Backoff.exponential(" + Duration.ofNanos(baseNanos) + ", " + Duration.ofNanos(capNanos)
            + (jitter ? ", full jitter)" : ")")
        : "Backoff.fixed(" + Duration.ofNanos(baseNanos) + ")";
  }
}
