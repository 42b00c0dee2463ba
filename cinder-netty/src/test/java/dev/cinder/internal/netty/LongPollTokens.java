package dev.cinder.internal.netty;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets a fuzzed client use a long-poll session, as a real one does: {@value #PLACEHOLDER} in what it has yet
 * to send stands for the last session token the server gave it on this connection (a fuzzer cannot forge a
 * signed token). Without a token yet, the placeholder goes out as it is.
 */
final class LongPollTokens {
  static final String PLACEHOLDER = "$token";
  private static final byte[] PLACEHOLDER_BYTES = PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
  private static final Pattern TOKEN = Pattern.compile("\"token\":\"([A-Za-z0-9_.=-]+)\"");

  private LongPollTokens() {}

  /** {@code stream} with every placeholder from {@code from} on replaced by the last token in {@code written}. */
  static byte[] fillIn(byte[] stream, int from, byte[] written) {
    if (indexOf(stream, from) < 0) {
      return stream;
    }
    String token = null;
    Matcher m = TOKEN.matcher(new String(written, StandardCharsets.ISO_8859_1));
    while (m.find()) {
      token = m.group(1);
    }
    if (token == null) {
      return stream;
    }
    byte[] with = token.getBytes(StandardCharsets.US_ASCII);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(stream.length + with.length);
    out.write(stream, 0, from);
    int at = from;
    for (int found; (found = indexOf(stream, at)) >= 0; at = found + PLACEHOLDER_BYTES.length) {
      out.write(stream, at, found - at);
      out.writeBytes(with);
    }
    out.write(stream, at, stream.length - at);
    return out.toByteArray();
  }

  private static int indexOf(byte[] stream, int from) {
    outer:
    for (int i = from; i <= stream.length - PLACEHOLDER_BYTES.length; i++) {
      for (int j = 0; j < PLACEHOLDER_BYTES.length; j++) {
        if (stream[i + j] != PLACEHOLDER_BYTES[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
