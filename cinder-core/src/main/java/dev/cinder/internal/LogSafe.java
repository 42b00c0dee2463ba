package dev.cinder.internal;

/**
 * Makes a value a client chose (a topic, an origin, an event name) safe to put in a log line: at most
 * {@link #MAX_CHARS} characters, control characters escaped, so a hostile client can neither flood the log
 * nor forge lines in it.
 */
public final class LogSafe {
  /** The longest client-supplied value a log line carries; the rest is replaced by a count. */
  public static final int MAX_CHARS = 120;

  private LogSafe() {}

  /** The value clipped to {@link #MAX_CHARS} characters, with control characters escaped; "null" for null. */
  public static String clip(Object value) {
    if (value == null) {
      return "null";
    }
    String text = value.toString();
    int shown = Math.min(text.length(), MAX_CHARS);
    StringBuilder out = new StringBuilder(shown + 24);
    for (int i = 0; i < shown; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        out.append(String.format("\\x%02x", (int) c));
      } else {
        out.append(c);
      }
    }
    if (text.length() > shown) {
      out.append("…(").append(text.length() - shown).append(" more chars)");
    }
    return out.toString();
  }
}
