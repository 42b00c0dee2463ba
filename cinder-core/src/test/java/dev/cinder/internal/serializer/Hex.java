package dev.cinder.internal.serializer;

import java.util.HexFormat;

/** Byte literals for tests, written like the hex dumps in docs/protocol.md. */
final class Hex {
  private Hex() {}

  static byte[] bytes(String spaced) {
    return HexFormat.of().parseHex(spaced.replace(" ", ""));
  }

  static String of(byte[] bytes) {
    return HexFormat.ofDelimiter(" ").formatHex(bytes);
  }
}
