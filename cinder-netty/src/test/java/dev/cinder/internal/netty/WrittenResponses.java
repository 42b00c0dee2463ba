package dev.cinder.internal.netty;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of the bytes a server wrote on one connection, as a sequence of HTTP/1.1 responses
 * (RFC 9112): a status line, header fields, and a body framed by exactly one {@code Content-Length}. Anything
 * else fails with {@link AssertionError}. Reading stops after a 101 (what follows is the new protocol's).
 */
final class WrittenResponses {
  /** One response; header names are lower-cased, a header's values kept in order. */
  record Response(int status, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      List<String> values = headers.get(name);
      return values == null ? null : String.join(",", values);
    }

    boolean informational() {
      return status / 100 == 1 && status != 101;
    }

    boolean closes() {
      return "close".equalsIgnoreCase(header("connection"));
    }
  }

  private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.1 ([1-5][0-9][0-9]) [\\t -~\\x80-\\xff]*");
  private static final Pattern FIELD =
      Pattern.compile("([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \\t]*([\\t -~\\x80-\\xff]*?)[ \\t]*");

  private final byte[] bytes;
  private int at;

  private WrittenResponses(byte[] bytes) {
    this.bytes = bytes;
  }

  /**
   * The responses in {@code bytes}. {@code headRequest.test(i)} says whether the i-th final response (from 0)
   * answers a HEAD request, whose response has a {@code Content-Length} but no body.
   */
  static List<Response> read(byte[] bytes, java.util.function.IntPredicate headRequest) {
    WrittenResponses reader = new WrittenResponses(bytes);
    List<Response> responses = new ArrayList<>();
    int finals = 0;
    while (reader.at < bytes.length) {
      Response response = reader.next(headRequest.test(finals));
      responses.add(response);
      if (response.status() == 101) {
        break;
      }
      if (!response.informational()) {
        finals++;
      }
    }
    return responses;
  }

  private Response next(boolean answersHead) {
    Matcher status = STATUS_LINE.matcher(line());
    check(status.matches(), "a status line");
    int code = Integer.parseInt(status.group(1));
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String field = line(); !field.isEmpty(); field = line()) {
      Matcher m = FIELD.matcher(field);
      check(m.matches(), "a header field, got " + field);
      headers.computeIfAbsent(m.group(1).toLowerCase(java.util.Locale.ROOT), k -> new ArrayList<>()).add(m.group(2));
    }
    check(!headers.containsKey("transfer-encoding"), "no Transfer-Encoding (Cinder frames bodies by length)");
    List<String> connection = headers.get("connection");
    check(connection == null || connection.size() == 1 && connection.getFirst().matches("(?i)close|keep-alive|upgrade"),
        "one Connection header of close, keep-alive or upgrade, got " + connection);
    List<String> length = headers.get("content-length");
    if (code / 100 == 1 || code == 204) {
      check(length == null, "no Content-Length on a " + code + " (RFC 9110 §8.6)");
      return new Response(code, headers, new byte[0]);
    }
    check(length != null && length.size() == 1 && length.getFirst().matches("[0-9]{1,9}"),
        "exactly one numeric Content-Length, got " + length);
    int size = answersHead ? 0 : Integer.parseInt(length.getFirst());
    check(bytes.length - at >= size, "a body of " + size + " bytes, got " + (bytes.length - at));
    byte[] body = java.util.Arrays.copyOfRange(bytes, at, at + size);
    at += size;
    return new Response(code, headers, body);
  }

  /** The next line, which must end in CRLF (no bare CR or LF inside). */
  private String line() {
    for (int i = at; i < bytes.length; i++) {
      if (bytes[i] == '\n') {
        check(i > at && bytes[i - 1] == '\r', "CRLF line endings");
        String line = new String(bytes, at, i - 1 - at, StandardCharsets.ISO_8859_1);
        check(line.indexOf('\r') < 0, "no bare CR in a line");
        at = i + 1;
        return line;
      }
    }
    throw new AssertionError("the response is cut short: " + text());
  }

  private void check(boolean ok, String expected) {
    if (!ok) {
      throw new AssertionError("malformed response, expected " + expected + "; written: " + text());
    }
  }

  private String text() {
    StringBuilder shown = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 1500); i++) {
      char c = (char) (bytes[i] & 0xff);
      shown.append(c == '\r' ? "\\r" : c == '\n' ? "\\n\n" : c < ' ' || c > '~' ? "\\x" + Integer.toHexString(c) : c);
    }
    return bytes.length + " bytes:\n" + shown + (bytes.length > 1500 ? "..." : "");
  }
}
