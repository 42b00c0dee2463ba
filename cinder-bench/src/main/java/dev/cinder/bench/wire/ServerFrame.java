package dev.cinder.bench.wire;

import java.nio.charset.StandardCharsets;

/**
 * A V2 text frame from the server, split without a JSON tree: {@code [join_ref, ref, topic, event, payload]}.
 * The generator parses tens of thousands of these per second on a core it shares with the server, so it reads
 * the four string-or-null heads by hand and keeps the payload as its exact text — as a range of the frame's bytes,
 * made a String only if someone asks (a presence storm's frames are mostly counted, not read).
 *
 * <p>A frame reads the array it was parsed from until it is dropped, and the generator parses each frame in a
 * buffer its I/O thread reuses for the next one: use a frame only while its handling runs, and keep copies
 * (its Strings, or what {@link #payload} returns), never the frame.
 *
 * <p>Anything that is not that shape (escapes in a head, a missing element) makes {@link #parse} return null,
 * which the caller counts as a bad frame: the benchmark checks frames, it does not trust byte counts.
 */
public final class ServerFrame {
  private final String joinRef;
  private final String ref;
  private final String topic;
  private final String event;
  private final byte[] frame;
  private final int payloadStart;
  private final int payloadEnd;
  private String payload;

  private ServerFrame(String joinRef, String ref, String topic, String event, byte[] frame, int payloadStart,
      int payloadEnd) {
    this.joinRef = joinRef;
    this.ref = ref;
    this.topic = topic;
    this.event = event;
    this.frame = frame;
    this.payloadStart = payloadStart;
    this.payloadEnd = payloadEnd;
  }

  /** Parses a whole array (see {@link #parse(byte[], int)}). */
  public static ServerFrame parse(byte[] b) {
    return parse(b, b.length);
  }

  /** Parses the first {@code length} bytes of {@code b}; the frame keeps reading {@code b} (see the class comment). */
  public static ServerFrame parse(byte[] b, int length) {
    int[] pos = {0};
    if (!expect(b, length, pos, '[')) {
      return null;
    }
    String[] heads = new String[4];
    for (int i = 0; i < 4; i++) {
      skipSpace(b, length, pos);
      if (startsWith(b, length, pos[0], "null")) {
        pos[0] += 4;
      } else if (pos[0] < length && b[pos[0]] == '"') {
        int start = ++pos[0];
        while (pos[0] < length && b[pos[0]] != '"') {
          if (b[pos[0]] == '\\') {
            return null; // the bench never sends escapes in refs, topics or events
          }
          pos[0]++;
        }
        if (pos[0] >= length) {
          return null;
        }
        heads[i] = new String(b, start, pos[0] - start, StandardCharsets.UTF_8);
        pos[0]++;
      } else {
        return null;
      }
      if (!expect(b, length, pos, ',')) {
        return null;
      }
    }
    skipSpace(b, length, pos);
    int end = length - 1;
    while (end > pos[0] && (b[end] == ' ' || b[end] == '\n')) {
      end--;
    }
    if (b[end] != ']' || heads[2] == null || heads[3] == null) {
      return null;
    }
    int payloadEnd = end;
    while (payloadEnd > pos[0] && (b[payloadEnd - 1] == ' ' || b[payloadEnd - 1] == '\n' || b[payloadEnd - 1] == '\t')) {
      payloadEnd--;
    }
    return new ServerFrame(heads[0], heads[1], heads[2], heads[3], b, pos[0], payloadEnd);
  }

  public String joinRef() {
    return joinRef;
  }

  public String ref() {
    return ref;
  }

  public String topic() {
    return topic;
  }

  public String event() {
    return event;
  }

  /** The payload's exact JSON text. */
  public String payload() {
    String text = payload;
    if (text == null) {
      text = new String(frame, payloadStart, payloadEnd - payloadStart, StandardCharsets.UTF_8);
      payload = text; // one thread reads a frame; a race would only build an equal String twice
    }
    return text;
  }

  /** The payload's length in bytes (UTF-8), without making it a String. */
  public int payloadBytes() {
    return payloadEnd - payloadStart;
  }

  @Override
  public String toString() {
    return "ServerFrame[" + joinRef + ", " + ref + ", " + topic + ", " + event + ", " + payload() + "]";
  }

  /**
   * The integer value of the first {@code "name":123} inside the payload, or -1 when absent; read from the bytes,
   * so that a frame whose text nobody reads is never made a String. {@code name} is ASCII.
   */
  public long longField(String name) {
    int n = name.length();
    for (int at = payloadStart; at + n + 3 <= payloadEnd; at++) {
      boolean key = frame[at] == '"' && frame[at + n + 1] == '"' && frame[at + n + 2] == ':'
          && startsWith(frame, payloadEnd, at + 1, name);
      if (key) {
        long value = 0;
        int digits = 0;
        for (int i = at + n + 3; i < payloadEnd && frame[i] >= '0' && frame[i] <= '9'; i++) {
          value = value * 10 + (frame[i] - '0');
          digits++;
        }
        return digits == 0 ? -1 : value;
      }
    }
    return -1;
  }

  private static boolean expect(byte[] b, int length, int[] pos, char c) {
    skipSpace(b, length, pos);
    if (pos[0] < length && b[pos[0]] == c) {
      pos[0]++;
      return true;
    }
    return false;
  }

  private static void skipSpace(byte[] b, int length, int[] pos) {
    while (pos[0] < length && (b[pos[0]] == ' ' || b[pos[0]] == '\n' || b[pos[0]] == '\t')) {
      pos[0]++;
    }
  }

  private static boolean startsWith(byte[] b, int length, int at, String s) {
    if (at + s.length() > length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b[at + i] != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }
}
