package dev.cinder.bench.wire;

/**
 * A broadcast's place in its topic's history, {@code "<epoch>:<offset>"}, as a recoverable topic's broadcast frame
 * carries it in its ref. Replies keep numeric refs, so a ref with a colon is a position; a position is never all digits.
 */
public record Position(String epoch, long offset) {
  /** The position a ref holds, or null when the ref is absent or not a position. */
  public static Position parse(String ref) {
    if (ref == null) {
      return null;
    }
    int colon = ref.lastIndexOf(':');
    if (colon <= 0 || colon == ref.length() - 1 || ref.length() - colon - 1 > 18) {
      return null;
    }
    long offset = 0;
    for (int i = colon + 1; i < ref.length(); i++) {
      char c = ref.charAt(i);
      if (c < '0' || c > '9') {
        return null;
      }
      offset = offset * 10 + (c - '0');
    }
    return new Position(ref.substring(0, colon), offset);
  }

  /** Whether {@code ref} looks like a position (has a colon), without parsing it: the per-frame check. */
  public static boolean isPosition(String ref) {
    return ref != null && ref.indexOf(':') >= 0;
  }
}
