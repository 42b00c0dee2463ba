package dev.cinder.test;

import dev.cinder.Payload;

/** Payload comparisons for assertions: as JSON, after the same text round trip the wire does. */
final class Payloads {
  private Payloads() {}

  static void assertEqual(Object expected, Payload actual, String what) {
    if (actual.isBinary() || !normalized(expected).equals(actual.json())) {
      throw new AssertionError(what + ": expected " + normalized(expected) + " but got " + actual);
    }
  }

  private static tools.jackson.databind.JsonNode normalized(Object expected) {
    return Payload.parse(Payload.of(expected).json().toString()).json();
  }
}
