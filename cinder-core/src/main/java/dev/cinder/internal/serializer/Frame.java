package dev.cinder.internal.serializer;

import java.nio.charset.StandardCharsets;

/**
 * One encoded WebSocket message: a text frame (UTF-8 bytes of JSON) or a binary frame. Frames are shared
 * between all recipients of a broadcast, so the bytes must never be modified.
 */
public final class Frame {
  private final boolean binary;
  private final byte[] bytes;

  public Frame(boolean binary, byte[] bytes) {
    this.binary = binary;
    this.bytes = bytes;
  }

  public static Frame text(String text) {
    return new Frame(false, text.getBytes(StandardCharsets.UTF_8));
  }

  public static Frame binary(byte[] bytes) {
    return new Frame(true, bytes);
  }

  public boolean binary() {
    return binary;
  }

  public byte[] bytes() {
    return bytes;
  }

  /** The text of a text frame. */
  public String text() {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return binary ? "Frame<binary " + bytes.length + " bytes>" : "Frame<" + text() + ">";
  }
}
