package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.serializer.Frame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The frames waiting for one WebSocket client, and their writing. Frames come from any thread and wait here,
 * counted against the mount's {@code maxQueuedBytes}; one task on the channel's event loop writes them, with one
 * flush for everything queued meanwhile.
 *
 * <p>Frames are handed to Netty only while the channel is writable, so Netty's own buffer holds at most about
 * {@link #WATER_MARK}'s high mark; once the client has read it down below the low mark, Netty reports the channel
 * writable again ({@link #channelWritabilityChanged}) and the writing resumes. A client that stops reading thus
 * fills this queue, where the slow-consumer policy sees it, not Netty's buffer.
 *
 * <p>One exists per connection, so it keeps its counters in plain fields updated through {@link VarHandle}s and is
 * its own flush task ({@link #run}), rather than holding an atomic object and a task object of its own each.
 */
final class OutboundQueue extends ChannelInboundHandlerAdapter implements Runnable {
  /** Netty's buffer limits for a WebSocket: above the high mark the queue stops draining, below the low it resumes. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final Channel channel;
  private final long maxQueuedBytes;
  private final boolean compressed; // permessage-deflate in use: frames must go through the per-connection encoder
  // Frames, and broadcast frames as Shared with the wire form their recipients share: one queue keeps the order.
  private final ConcurrentLinkedQueue<Object> frames = new ConcurrentLinkedQueue<>();
  // Bytes in `frames`, not yet handed to Netty (Netty counts what it holds itself); through QUEUED_BYTES.
  @SuppressWarnings("unused")
  private volatile long queuedBytes;
  // Whether the flush task is scheduled or waits for writability; through FLUSH_SCHEDULED.
  @SuppressWarnings("unused")
  private volatile boolean flushScheduled;
  private static final VarHandle QUEUED_BYTES;
  private static final VarHandle FLUSH_SCHEDULED;

  static {
    try {
      var lookup = MethodHandles.lookup();
      QUEUED_BYTES = lookup.findVarHandle(OutboundQueue.class, "queuedBytes", long.class);
      FLUSH_SCHEDULED = lookup.findVarHandle(OutboundQueue.class, "flushScheduled", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  OutboundQueue(Channel channel, long maxQueuedBytes, boolean compressed) {
    this.channel = channel;
    this.maxQueuedBytes = maxQueuedBytes;
    this.compressed = compressed;
  }

  /** Whether frames can be written as their shared wire form ({@link SharedWireFrames}), i.e. not deflated. */
  boolean sharesWireForm() {
    return !compressed;
  }

  /**
   * Queues {@code frame} if the queue stays within {@code maxQueuedBytes} with it, and schedules the writing.
   * Returns the bytes the queue holds with the frame: above {@code maxQueuedBytes}, the frame was not queued.
   * {@code wire} is the frame's shared wire form ({@link SharedWireFrames}), or null to encode it here. Any thread.
   */
  long offer(Frame frame, ByteBuf wire) {
    long queued = addQueued(frame.bytes().length);
    if (queued > maxQueuedBytes) {
      addQueued(-frame.bytes().length);
      return queued;
    }
    frames.add(wire == null ? frame : new Shared(frame, wire));
    if (FLUSH_SCHEDULED.compareAndSet(this, false, true)) {
      // One task per connection, not one per event loop for all: measured, a per-loop drain task raised the
      // p99 of paced broadcasts from ~40 ms to 200+ ms (docs/benchmarks.md, "Changes after this profile, measured").
      channel.eventLoop().execute(this);
    }
    return queued;
  }

  /** Bytes queued for the client and not yet written to its socket: in this queue and in Netty's buffer. */
  long pendingBytes() {
    ChannelOutboundBuffer netty = channel.unsafe().outboundBuffer(); // null once the channel is closed
    return (long) QUEUED_BYTES.getVolatile(this) + (netty == null ? 0 : netty.totalPendingWriteBytes());
  }

  /** Writes every queued frame, writable or not, and flushes: what was sent before a close; on the event loop. */
  void writeAll() {
    write(true);
  }

  /** Drops every queued frame: the connection is closing without them. */
  void discard() {
    frames.clear();
    QUEUED_BYTES.setVolatile(this, 0L);
  }

  /**
   * The flush task: writes what is queued while the channel is writable and flushes once; on the event loop only.
   */
  @Override
  public void run() {
    if (!channel.isWritable()) {
      // flushScheduled stays set, so sends meanwhile schedule nothing: channelWritabilityChanged drains.
      return;
    }
    FLUSH_SCHEDULED.setVolatile(this, false);
    write(false);
  }

  private long addQueued(long bytes) {
    return (long) QUEUED_BYTES.getAndAdd(this, bytes) + bytes;
  }

  /** Writes queued frames, all of them or only while the channel is writable, then flushes once. */
  private void write(boolean all) {
    boolean wrote = false;
    Object item;
    while ((item = frames.poll()) != null) {
      if (item instanceof Shared shared) {
        addQueued(-shared.frame().bytes().length);
        channel.write(shared.wire().retainedDuplicate(), channel.voidPromise()); // already a complete WebSocket frame
      } else {
        Frame frame = (Frame) item;
        addQueued(-frame.bytes().length);
        ByteBuf content = Unpooled.wrappedBuffer(frame.bytes());
        channel.write(frame.binary() ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content), channel.voidPromise());
      }
      wrote = true;
      if (!all && !channel.isWritable()) {
        break;
      }
    }
    if (wrote) {
      channel.flush();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) throws Exception {
    // Fired also from inside our own flush: drain in a task of its own, never re-entering write.
    if (ctx.channel().isWritable() && !frames.isEmpty()) {
      FLUSH_SCHEDULED.setVolatile(this, true);
      ctx.executor().execute(this);
    }
    super.channelWritabilityChanged(ctx);
  }

  /** A broadcast frame with the wire form every recipient shares. */
  private record Shared(Frame frame, ByteBuf wire) {}
}
