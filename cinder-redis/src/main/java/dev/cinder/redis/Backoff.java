package dev.cinder.redis;

import io.lettuce.core.resource.Delay;
import java.time.Duration;

/** Reconnect delays: {@code min}, doubling per failed attempt, never above {@code max}. Stateless, as Lettuce asks. */
final class Backoff extends Delay {
  private final Duration min;
  private final Duration max;

  Backoff(Duration min, Duration max) {
    this.min = min;
    this.max = max;
  }

  @Override
  public Duration createDelay(long attempt) {
    long doublings = Math.clamp(attempt - 1, 0, 30);
    long nanos = min.toNanos() << doublings;
    return nanos <= 0 || nanos > max.toNanos() ? max : Duration.ofNanos(nanos);
  }
}
