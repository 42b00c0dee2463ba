package dev.cinder.bench.wire;

import java.time.Instant;

/**
 * Epoch microseconds that are cheap to read and comparable across processes on this machine: the publisher
 * stamps a broadcast in one JVM and a generator measures its delivery in another, so nanoTime alone won't do.
 */
public final class WallClock {
  private static final long OFFSET_NANOS = offset();

  private WallClock() {}

  public static long micros() {
    return (System.nanoTime() + OFFSET_NANOS) / 1_000;
  }

  private static long offset() {
    // Instant.now() has microsecond resolution on Linux; take the sample with the tightest nanoTime bracket.
    long best = Long.MAX_VALUE;
    long offset = 0;
    for (int i = 0; i < 50; i++) {
      long before = System.nanoTime();
      Instant now = Instant.now();
      long after = System.nanoTime();
      if (after - before < best) {
        best = after - before;
        long epochNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        offset = epochNanos - (before + (after - before) / 2);
      }
    }
    return offset;
  }
}
