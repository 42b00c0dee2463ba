package dev.cinder.client.internal;

import java.nio.ByteBuffer;

/** An encoded frame: text or binary, exactly one set. */
public record Encoded(String text, ByteBuffer binary) {
  public static Encoded text(String text) {
    return new Encoded(text, null);
  }

  public static Encoded binary(ByteBuffer binary) {
    return new Encoded(null, binary);
  }
}
