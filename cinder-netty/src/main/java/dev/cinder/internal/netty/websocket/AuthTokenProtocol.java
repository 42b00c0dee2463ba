package dev.cinder.internal.netty.websocket;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads {@code Sec-WebSocket-Protocol} as the official client's {@code authToken} option fills it:
 * {@code "phoenix, base64url.bearer.phx.<base64 of the token, '=' stripped>"}. Despite the name, the client
 * uses standard Base64; URL-safe Base64 is accepted too.
 */
record AuthTokenProtocol(String token, List<String> otherProtocols) {
  static final String PREFIX = "base64url.bearer.phx.";

  /** Parses the header (null when absent); throws IllegalArgumentException for a bad or repeated token. */
  static AuthTokenProtocol parse(String header) {
    if (header == null || header.isBlank()) {
      return new AuthTokenProtocol(null, List.of());
    }
    String token = null;
    List<String> others = new ArrayList<>();
    for (String raw : header.split(",")) {
      String entry = raw.trim();
      if (entry.isEmpty()) {
        continue;
      }
      if (entry.startsWith(PREFIX)) {
        if (token != null) {
          throw new IllegalArgumentException("more than one auth token subprotocol");
        }
        token = decode(entry.substring(PREFIX.length()));
      } else {
        others.add(entry);
      }
    }
    return new AuthTokenProtocol(token, List.copyOf(others));
  }

  private static String decode(String encoded) {
    String normalized = encoded.replace('-', '+').replace('_', '/');
    while (normalized.length() % 4 != 0) {
      normalized += "=";
    }
    return new String(Base64.getDecoder().decode(normalized), StandardCharsets.UTF_8);
  }
}
