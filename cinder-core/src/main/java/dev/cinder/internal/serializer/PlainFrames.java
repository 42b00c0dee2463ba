package dev.cinder.internal.serializer;

import java.nio.charset.StandardCharsets;

/**
 * Version 2.0.0 text frames written straight into an array of the exact size, without a JSON generator: the request
 * path's replies and pushes, whose payload is already JSON text. Only when every string of the frame is printable
 * ASCII without a quote or a backslash (refs, topics, events and statuses almost always are), so that it goes out
 * between quotes as it is; the bytes are then the ones the generator writes. Otherwise null: the caller uses the
 * generator, which escapes.
 */
final class PlainFrames {
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};
  private static final byte[] REPLY_MIDDLE = ascii(",\"phx_reply\",{\"status\":");
  private static final byte[] RESPONSE = ascii(",\"response\":");

  private PlainFrames() {}

  /** {@code [join_ref, ref, topic, "phx_reply", {"status": status, "response": response}]}, or null. */
  static Frame reply(String joinRef, String ref, String topic, String status, byte[] response) {
    if (!plain(joinRef) || !plain(ref) || !plain(topic) || !plain(status)) {
      return null;
    }
    byte[] out = new byte[headLength(joinRef, ref, topic) + REPLY_MIDDLE.length + length(status) + RESPONSE.length
        + response.length + 2];
    int at = head(out, joinRef, ref, topic);
    at = put(out, at, REPLY_MIDDLE);
    at = quoted(out, at, status);
    at = put(out, at, RESPONSE);
    at = put(out, at, response);
    out[at++] = '}';
    out[at] = ']';
    return new Frame(false, out);
  }

  /** {@code [join_ref, ref, topic, event, payload]}, or null. */
  static Frame message(String joinRef, String ref, String topic, String event, byte[] payload) {
    if (!plain(joinRef) || !plain(ref) || !plain(topic) || !plain(event)) {
      return null;
    }
    byte[] out = new byte[headLength(joinRef, ref, topic) + 1 + length(event) + 1 + payload.length + 1];
    int at = head(out, joinRef, ref, topic);
    out[at++] = ',';
    at = quoted(out, at, event);
    out[at++] = ',';
    at = put(out, at, payload);
    out[at] = ']';
    return new Frame(false, out);
  }

  /** The bytes of {@code [join_ref,ref,"topic"}, which every frame here starts with. */
  private static int headLength(String joinRef, String ref, String topic) {
    return 1 + length(joinRef) + 1 + length(ref) + 1 + length(topic);
  }

  private static int head(byte[] out, String joinRef, String ref, String topic) {
    int at = 0;
    out[at++] = '[';
    at = nullable(out, at, joinRef);
    out[at++] = ',';
    at = nullable(out, at, ref);
    out[at++] = ',';
    return quoted(out, at, topic);
  }

  /** Null, or printable ASCII that needs no escape in a JSON string. */
  static boolean plain(String s) {
    if (s == null) {
      return true;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** The bytes {@code s} takes: {@code null}, or the string between quotes. */
  private static int length(String s) {
    return s == null ? NULL.length : s.length() + 2;
  }

  private static int nullable(byte[] out, int at, String s) {
    return s == null ? put(out, at, NULL) : quoted(out, at, s);
  }

  private static int quoted(byte[] out, int at, String s) {
    out[at++] = '"';
    for (int i = 0; i < s.length(); i++) {
      out[at++] = (byte) s.charAt(i); // plain ASCII: one byte per char
    }
    out[at++] = '"';
    return at;
  }

  private static int put(byte[] out, int at, byte[] bytes) {
    System.arraycopy(bytes, 0, out, at, bytes.length);
    return at + bytes.length;
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
