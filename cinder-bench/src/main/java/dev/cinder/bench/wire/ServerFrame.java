package dev.cinder.bench.wire;

import java.nio.charset.StandardCharsets;

/**
 * A V2 text frame from the server, split without a JSON tree: {@code [join_ref, ref, topic, event, payload]}.
 * The generator parses tens of thousands of these per second on a core it shares with the server, so it reads
 * the four string-or-null heads by hand and keeps the payload as its exact text — as a range of the frame's bytes,
 * made a String only if someone asks (a presence storm's frames are mostly counted, not read).
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

  public static ServerFrame parse(byte[] b) {
    int[] pos = {0};
    if (!expect(b, pos, '[')) {
      return null;
    }
    String[] heads = new String[4];
    for (int i = 0; i < 4; i++) {
      skipSpace(b, pos);
      if (startsWith(b, pos[0], "null")) {
        pos[0] += 4;
      } else if (pos[0] < b.length && b[pos[0]] == '"') {
        int start = ++pos[0];
        while (pos[0] < b.length && b[pos[0]] != '"') {
          if (b[pos[0]] == '\\') {
            return null; // the bench never sends escapes in refs, topics or events
          }
          pos[0]++;
        }
        if (pos[0] >= b.length) {
          return null;
        }
        heads[i] = new String(b, start, pos[0] - start, StandardCharsets.UTF_8);
        pos[0]++;
      } else {
        return null;
      }
      if (!expect(b, pos, ',')) {
        return null;
      }
    }
    skipSpace(b, pos);
    int end = b.length - 1;
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

  /** The integer value of {@code "name":123} inside the payload text, or -1 when absent. */
  public long longField(String name) {
    return longField(payload(), name);
  }

  public static long longField(String json, String name) {
    String key = "\"" + name + "\":";
    int at = json.indexOf(key);
    if (at < 0) {
      return -1;
    }
    int i = at + key.length();
    long value = 0;
    int digits = 0;
    while (i < json.length() && Character.isDigit(json.charAt(i))) {
      value = value * 10 + (json.charAt(i++) - '0');
      digits++;
    }
    return digits == 0 ? -1 : value;
  }

  private static boolean expect(byte[] b, int[] pos, char c) {
    skipSpace(b, pos);
    if (pos[0] < b.length && b[pos[0]] == c) {
      pos[0]++;
      return true;
    }
    return false;
  }

  private static void skipSpace(byte[] b, int[] pos) {
    while (pos[0] < b.length && (b[pos[0]] == ' ' || b[pos[0]] == '\n' || b[pos[0]] == '\t')) {
      pos[0]++;
    }
  }

  private static boolean startsWith(byte[] b, int at, String s) {
    if (at + s.length() > b.length) {
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
