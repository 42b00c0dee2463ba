package dev.cinder.internal.netty.websocket;

import dev.cinder.serializer.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;

/**
 * The complete WebSocket wire form of a broadcast frame, built once and written to every recipient.
 *
 * <p>Server frames are unmasked, so header and payload are the same bytes for every client: one direct
 * buffer per broadcast replaces, per recipient, a frame object, a buffer, a header allocation and a payload copy.
 * The buffer wraps a JDK direct {@link ByteBuffer}, freed by the garbage collector with its {@link Frame}, so no
 * reference count has to outlive the writes (each write takes a retained duplicate). Not for compressed
 * connections, which must deflate per connection.
 */
final class SharedWireFrames {
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_BINARY = 0x82;

  private SharedWireFrames() {}

  /** The frame's shared wire buffer; built on first use and cached in the frame. */
  static ByteBuf of(Frame frame) {
    if (frame.transportForm() instanceof ByteBuf cached) {
      return cached;
    }
    ByteBuf built = build(frame);
    frame.transportForm(built);
    return built;
  }

  private static ByteBuf build(Frame frame) {
    byte[] payload = frame.bytes();
    int length = payload.length;
    int header = length < 126 ? 2 : length <= 0xFFFF ? 4 : 10;
    ByteBuffer wire = ByteBuffer.allocateDirect(header + length);
    wire.put((byte) (frame.binary() ? FIN_BINARY : FIN_TEXT));
    if (length < 126) {
      wire.put((byte) length);
    } else if (length <= 0xFFFF) {
      wire.put((byte) 126).putShort((short) length);
    } else {
      wire.put((byte) 127).putLong(length);
    }
    wire.put(payload).flip();
    return Unpooled.wrappedBuffer(wire);
  }
}
