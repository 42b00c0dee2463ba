package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.serializer.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.stream.IntStream;

/**
 * The complete WebSocket wire form of a broadcast frame, built once and written to every recipient.
 *
 * <p>Server frames are unmasked, so header and payload are the same bytes for every client: one direct
 * buffer per broadcast replaces, per recipient, a frame object, a buffer, a header allocation and a payload copy.
 * The buffer wraps a JDK direct {@link ByteBuffer}, freed by the garbage collector once its {@link Frame} is gone
 * from the cache, so no reference count has to outlive the writes (each write takes a retained duplicate). Not
 * for compressed connections, which must deflate per connection.
 *
 * <p>The cache belongs to the transport, not to the frame: weak keys (frames compare by identity) let an entry go
 * with the last reference to its frame, and stripes keep the event loops and broadcasting threads from
 * contending on one lock.
 */
final class SharedWireFrames {
  private static final int FIN_TEXT = 0x81;
  private static final int FIN_BINARY = 0x82;
  private static final int STRIPES = 16; // a power of two

  private static final List<Map<Frame, ByteBuf>> CACHE =
      IntStream.range(0, STRIPES).<Map<Frame, ByteBuf>>mapToObj(i -> new WeakHashMap<>()).toList();

  // The frame each thread looked up last, and its buffer: a broadcast thread hands one frame to many connections
  // in a row, so most lookups end here without a lock. It keeps at most one frame per thread alive past its use.
  private static final FastThreadLocal<Object[]> LAST = new FastThreadLocal<>() {
    @Override
    protected Object[] initialValue() {
      return new Object[2];
    }
  };

  private SharedWireFrames() {}

  /** The frame's shared wire buffer; built on first use and cached. Two threads may both build it: either wins. */
  static ByteBuf of(Frame frame) {
    Object[] last = LAST.get();
    if (last[0] == frame) {
      return (ByteBuf) last[1];
    }
    Map<Frame, ByteBuf> stripe = stripe(frame);
    ByteBuf wire;
    synchronized (stripe) {
      wire = stripe.get(frame);
    }
    if (wire == null) {
      wire = build(frame);
      synchronized (stripe) {
        stripe.put(frame, wire);
      }
    }
    last[0] = frame;
    last[1] = wire;
    return wire;
  }

  private static Map<Frame, ByteBuf> stripe(Frame frame) {
    return CACHE.get(System.identityHashCode(frame) & (STRIPES - 1));
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
