package dev.cinder.internal.socket;

/**
 * How many messages one connection may send: {@code burst} at once, refilled at {@code perSecond}. A token
 * bucket kept as a single number, the time at which the bucket would be full again ("theoretical arrival
 * time"): each message moves it one interval later, and a message that would move it more than a whole
 * bucket ahead of now is over the limit.
 *
 * <p>Not thread-safe: used by one thread at a time, the connection's reader (a WebSocket's event loop, or a
 * long-poll socket's mailbox).
 */
final class InboundRateLimit {
  private final long intervalNanos;
  private final long bucketNanos;
  private long fullAt;

  InboundRateLimit(int perSecond, int burst) {
    this(perSecond, burst, System.nanoTime());
  }

  /** Full at {@code now}: a new connection may send a whole burst at once. */
  InboundRateLimit(int perSecond, int burst, long now) {
    this.intervalNanos = 1_000_000_000L / perSecond;
    this.bucketNanos = intervalNanos * burst;
    this.fullAt = now;
  }

  /** Counts one message now; false when it is over the limit (it is not counted then). */
  boolean tryAcquire() {
    return tryAcquire(System.nanoTime());
  }

  boolean tryAcquire(long now) {
    long next = (fullAt - now > 0 ? fullAt : now) + intervalNanos;
    if (next - now > bucketNanos) {
      return false;
    }
    fullAt = next;
    return true;
  }
}
