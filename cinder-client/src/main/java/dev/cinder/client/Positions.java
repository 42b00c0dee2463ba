package dev.cinder.client;

import java.util.regex.Pattern;

/** History positions, {@code "<epoch>:<offset>"}: told apart from numeric refs by the colon. */
final class Positions {
  private static final Pattern POSITION = Pattern.compile("[^:]+:\\d+");

  private Positions() {}

  static boolean isPosition(String ref) {
    return POSITION.matcher(ref).matches();
  }
}
