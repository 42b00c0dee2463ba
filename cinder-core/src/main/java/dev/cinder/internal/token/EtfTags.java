package dev.cinder.internal.token;

/** Tag bytes of the Erlang external term format (erts/emulator external.h and the ERTS docs). */
final class EtfTags {
  static final int VERSION = 131;
  static final int COMPRESSED = 80;
  static final int NEW_FLOAT = 70;
  static final int SMALL_INTEGER = 97;
  static final int INTEGER = 98;
  static final int ATOM = 100;
  static final int SMALL_TUPLE = 104;
  static final int LARGE_TUPLE = 105;
  static final int NIL = 106;
  static final int STRING = 107;
  static final int LIST = 108;
  static final int BINARY = 109;
  static final int SMALL_BIG = 110;
  static final int LARGE_BIG = 111;
  static final int SMALL_ATOM = 115;
  static final int MAP = 116;
  static final int ATOM_UTF8 = 118;
  static final int SMALL_ATOM_UTF8 = 119;

  private EtfTags() {}

  /** A readable name for a tag the decoder refuses, so the error says what was found. */
  static String unsupported(int tag) {
    String what =
        switch (tag) {
          case 112, 113, 117 -> "a fun (executable term)";
          case 88, 103 -> "a pid";
          case 89, 102, 120 -> "a port";
          case 90, 101, 114 -> "a reference";
          case 77 -> "a bitstring";
          case 99 -> "an old-style string float (FLOAT_EXT)";
          case 82 -> "an atom cache reference";
          case 68 -> "a distribution header";
          default -> "an unknown tag";
        };
    return "unsupported term: " + what + " (tag " + tag + ")";
  }
}
