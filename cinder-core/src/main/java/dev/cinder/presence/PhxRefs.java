package dev.cinder.presence;

import java.time.Instant;
import java.time.InstantSource;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Makes {@code phx_ref}s the way Phoenix does: Base64url of an 8-byte timestamp in ns, a 2-byte hash of the
 * node and owner, and a 2-byte counter: 16 characters, opaque to clients. The timestamp never repeats on one
 * node (a coarse clock is bumped by 1 ns), so refs are unique per node; the node hash keeps them apart across
 * nodes.
 */
final class PhxRefs {
  private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

  private final InstantSource clock;
  private final int nodeHash;
  private final AtomicLong lastNanos = new AtomicLong();
  private final AtomicInteger counter = new AtomicInteger();

  PhxRefs(InstantSource clock, String nodeName) {
    this.clock = clock;
    this.nodeHash = nodeName.hashCode();
  }

  String next(Object owner) {
    Instant now = clock.instant();
    long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    long stamp = lastNanos.updateAndGet(last -> Math.max(last + 1, nanos));
    int hash = 31 * nodeHash + System.identityHashCode(owner);
    int unique = counter.incrementAndGet();
    byte[] bytes = new byte[12];
    for (int i = 0; i < 8; i++) {
      bytes[i] = (byte) (stamp >>> (56 - 8 * i));
    }
    bytes[8] = (byte) (hash >>> 8);
    bytes[9] = (byte) hash;
    bytes[10] = (byte) (unique >>> 8);
    bytes[11] = (byte) unique;
    return BASE64URL.encodeToString(bytes);
  }
}
