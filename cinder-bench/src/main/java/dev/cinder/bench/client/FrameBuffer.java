package dev.cinder.bench.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;

/**
 * One byte array per I/O thread that each incoming text frame is copied into, in place of a fresh array per frame:
 * a presence storm brings hundreds of KiB per join, and every byte the generator allocates (and its collector
 * reclaims) is CPU the server on the same cores does not get. The array grows to the largest frame seen and stays.
 * What is read from it is valid only until the thread's next frame (see {@link dev.cinder.bench.wire.ServerFrame}).
 */
final class FrameBuffer {
  private static final FastThreadLocal<FrameBuffer> PER_THREAD = new FastThreadLocal<>() {
    @Override
    protected FrameBuffer initialValue() {
      return new FrameBuffer();
    }
  };

  private byte[] bytes = new byte[64 * 1024];

  private FrameBuffer() {}

  /** This thread's array, holding {@code content}'s readable bytes from index 0 (their count is its readableBytes). */
  static byte[] copy(ByteBuf content) {
    FrameBuffer buffer = PER_THREAD.get();
    int length = content.readableBytes();
    if (buffer.bytes.length < length) {
      buffer.bytes = new byte[Math.max(length, buffer.bytes.length * 2)];
    }
    content.getBytes(content.readerIndex(), buffer.bytes, 0, length);
    return buffer.bytes;
  }
}
