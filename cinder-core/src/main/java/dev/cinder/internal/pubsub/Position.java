package dev.cinder.internal.pubsub;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Where a broadcast stands in its topic's history: an offset counting the topic's recorded broadcasts, and the
 * epoch that offset counts in. A new epoch starts whenever the history was lost (a restart, a flushed store), so an
 * offset is only comparable within its epoch. On the wire: {@code "<epoch>:<offset>"}, e.g. {@code "k3x9q2mv:42"},
 * never all digits, so it can never be mistaken for a client's numeric ref.
 */
public record Position(String epoch, long offset) {
  /** The longest position text accepted from a client. */
  public static final int MAX_TEXT = 64;

  private static final char[] EPOCH_CHARS = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public Position {
    Objects.requireNonNull(epoch, "epoch");
    if (offset < 0) {
      throw new IllegalArgumentException("offset must not be negative: " + offset);
    }
  }

  /** A fresh epoch: 8 random characters of [a-z2-7], 40 bits. */
  public static String newEpoch() {
    char[] chars = new char[8];
    for (int i = 0; i < chars.length; i++) {
      chars[i] = EPOCH_CHARS[RANDOM.nextInt(EPOCH_CHARS.length)];
    }
    return new String(chars);
  }

  /** A position as a client sent it, or null when it is not one. */
  public static Position parse(String text) {
    if (text == null || text.length() > MAX_TEXT) {
      return null;
    }
    int colon = text.lastIndexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      return null;
    }
    long offset = 0;
    for (int i = colon + 1; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9' || offset > (Long.MAX_VALUE - 9) / 10) {
        return null;
      }
      offset = offset * 10 + (c - '0');
    }
    return new Position(text.substring(0, colon), offset);
  }

  /** Whether this position comes after {@code other} in the same epoch. */
  public boolean after(Position other) {
    return epoch.equals(other.epoch) && offset > other.offset;
  }

  @Override
  public String toString() {
    return epoch + ":" + offset;
  }
}
