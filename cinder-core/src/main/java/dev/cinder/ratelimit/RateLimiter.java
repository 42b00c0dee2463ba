package dev.cinder.ratelimit;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Allows at most {@code limit} events per {@code window} for each key (a user, a socket id, a user and a
 * topic...). Each key has a fixed window that opens with its first event and closes {@code window} later; the
 * next event after that opens a new one. So a key that sends {@code limit} events at once is refused until its
 * window has passed, and never gets more than {@code limit} events into one window.
 *
 * <p>Memory is bounded: a key costs one small entry while its window is open; closed windows are swept away
 * at most once per window length, and no more than {@code maxKeys} keys are tracked at once. An event of a
 * new key that finds the table full is refused (fail closed): a flood of fresh keys cannot push out the
 * windows of keys that are being limited.
 *
 * <p>Thread-safe; {@link #tryAcquire} is a single atomic update per key.
 *
 * <pre>{@code
 * RateLimiter<String> limiter = RateLimiter.<String>builder().limit(10).window(Duration.ofSeconds(5)).build();
 * if (!limiter.tryAcquire(userId + "|" + topic).allowed()) { ... refuse ... }
 * }</pre>
 *
 * @param <K> the key type; it needs value-based {@code equals} and {@code hashCode} (a String, a record)
 */
public final class RateLimiter<K> {
  private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

  /** The default cap on tracked keys. */
  public static final int DEFAULT_MAX_KEYS = 100_000;

  private record Window(long start, int count) {}

  private final int limit;
  private final long windowNanos;
  private final int maxKeys;
  private final LongSupplier nanoTime;
  private final ConcurrentHashMap<K, Window> windows = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong lastSweep;
  private final AtomicLong lastFullWarning = new AtomicLong(Long.MIN_VALUE);

  private RateLimiter(Builder<K> b) {
    this.limit = b.limit;
    this.windowNanos = b.window.toNanos();
    this.maxKeys = b.maxKeys;
    this.nanoTime = b.nanoTime;
    this.lastSweep = new AtomicLong(nanoTime.getAsLong());
  }

  /** {@code limit} events per {@code window} per key, at most {@link #DEFAULT_MAX_KEYS} keys. */
  public static <K> RateLimiter<K> of(int limit, Duration window) {
    return RateLimiter.<K>builder().limit(limit).window(window).build();
  }

  public static <K> Builder<K> builder() {
    return new Builder<>();
  }

  /** Counts one event of {@code key} if its window has room, and says whether it was allowed. */
  public Decision tryAcquire(K key) {
    Objects.requireNonNull(key, "key");
    long now = nanoTime.getAsLong();
    sweepIfDue(now);
    Decision decision = attempt(key, now);
    if (decision == null) { // the table was full: sweep now, once, then give up on this key
      sweep(now);
      decision = attempt(key, now);
      if (decision == null) {
        warnFull(now);
        decision = new Decision(false, 0, Duration.ofNanos(windowNanos));
      }
    }
    return decision;
  }

  /** Returns null when {@code key} is new and the table is full. */
  private Decision attempt(K key, long now) {
    Decision[] out = new Decision[1];
    windows.compute(key, (k, w) -> {
      if (w == null || expired(w, now)) {
        if (w == null && size.incrementAndGet() > maxKeys) {
          size.decrementAndGet();
          return null;
        }
        out[0] = new Decision(true, limit - 1, Duration.ZERO);
        return new Window(now, 1);
      }
      if (w.count() < limit) {
        out[0] = new Decision(true, limit - w.count() - 1, Duration.ZERO);
        return new Window(w.start(), w.count() + 1);
      }
      out[0] = new Decision(false, 0, Duration.ofNanos(w.start() + windowNanos - now));
      return w;
    });
    return out[0];
  }

  private boolean expired(Window w, long now) {
    return now - w.start() >= windowNanos;
  }

  private void sweepIfDue(long now) {
    long last = lastSweep.get();
    if (now - last >= windowNanos && lastSweep.compareAndSet(last, now)) {
      sweep(now);
    }
  }

  /** Drops every closed window. O(keys), run at most about once per window length. */
  private void sweep(long now) {
    for (K key : windows.keySet()) {
      windows.computeIfPresent(key, (k, w) -> {
        if (expired(w, now)) {
          size.decrementAndGet();
          return null;
        }
        return w;
      });
    }
  }

  private void warnFull(long now) {
    long last = lastFullWarning.get();
    if ((last == Long.MIN_VALUE || now - last >= windowNanos) && lastFullWarning.compareAndSet(last, now)) {
      log.warn("rate limiter is tracking its maximum of {} keys: events of new keys are refused", maxKeys);
    }
  }

  /** The number of keys with a window in memory (closed windows count until the next sweep). */
  public int trackedKeys() {
    return size.get();
  }

  public int limit() {
    return limit;
  }

  public Duration window() {
    return Duration.ofNanos(windowNanos);
  }

  /**
   * The answer for one event.
   *
   * @param allowed whether the event may proceed (it was counted)
   * @param remaining events left in the key's current window
   * @param retryAfter when refused, how long until the key's window closes; zero when allowed
   */
  public record Decision(boolean allowed, int remaining, Duration retryAfter) {}

  /** Builds a {@link RateLimiter}; {@code limit} and {@code window} are required. */
  public static final class Builder<K> {
    private int limit;
    private Duration window;
    private int maxKeys = DEFAULT_MAX_KEYS;
    private LongSupplier nanoTime = System::nanoTime;

    private Builder() {}

    /** Events allowed per window, at least 1. */
    public Builder<K> limit(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("a rate limit must allow at least 1 event per window, got " + value);
      }
      this.limit = value;
      return this;
    }

    /** The window length, positive. */
    public Builder<K> window(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("a rate limit window must be positive, got " + value);
      }
      this.window = value;
      return this;
    }

    /** The most keys tracked at once (default {@value #DEFAULT_MAX_KEYS}). */
    public Builder<K> maxKeys(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxKeys must be at least 1, got " + value);
      }
      this.maxKeys = value;
      return this;
    }

    /** The clock, in nanoseconds like {@link System#nanoTime()}; for tests. */
    public Builder<K> clock(LongSupplier nanoTime) {
      this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    public RateLimiter<K> build() {
      if (limit == 0 || window == null) {
        throw new IllegalStateException("a rate limiter needs a limit and a window");
      }
      return new RateLimiter<>(this);
    }
  }
}
