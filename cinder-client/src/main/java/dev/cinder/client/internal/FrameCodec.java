package dev.cinder.client.internal;

import java.nio.ByteBuffer;

/** Encodes client frames and decodes server frames of one protocol version. Thread-safe. */
public interface FrameCodec {
  /** The {@code vsn} query value. */
  String vsn();

  /**
   * Encodes a frame.
   *
   * @throws IllegalArgumentException when the frame cannot be expressed (binary in 1.0.0, a field over 255 bytes)
   */
  Encoded encode(Frame frame);

  /** Decodes a text frame; never throws anything but {@link MalformedFrameException}. */
  Frame decodeText(String text) throws MalformedFrameException;

  /** Decodes a binary frame; never throws anything but {@link MalformedFrameException}. */
  Frame decodeBinary(ByteBuffer frame) throws MalformedFrameException;
}
