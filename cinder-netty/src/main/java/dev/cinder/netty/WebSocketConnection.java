package dev.cinder.netty;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.CloseCodes;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of one socket: turns whole data frames into {@link Frame}s for the {@link SocketSession}
 * and writes outbound frames. Outbound frames from other threads are queued and written by one task on the
 * channel's event loop, with one flush for everything queued meanwhile.
 *
 * <p>Frames wait in this queue, counted against {@code maxQueuedBytes}, not in Netty's buffer: they are handed
 * to Netty only while the channel is writable, so Netty holds at most about {@link #WATER_MARK}'s high mark.
 * When the queue overflows, it is dropped and the close frame is next in line (see {@link ClosingHandshake}).
 */
final class WebSocketConnection extends SimpleChannelInboundHandler<WebSocketFrame> implements Connection {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
  /** Netty's buffer limits for a WebSocket: above the high mark the queue stops draining, below the low it resumes. */
  static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(32 * 1024, 64 * 1024);

  private final io.netty.channel.Channel channel;
  private final ConcurrentLinkedQueue<Frame> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Runnable flushTask = this::flushOutbound;
  private boolean compressed; // permessage-deflate in use: frames must go through the per-connection encoder
  // Bytes in `outbound`, not yet handed to Netty; Netty's own buffer stays under WATER_MARK's high mark.
  private final AtomicLong queuedBytes = new AtomicLong();
  private final SocketMount mount;
  private final Telemetry telemetry;
  private final OpenConnections openConnections;
  private final ClosingHandshake closingHandshake;
  private SocketSession session;

  WebSocketConnection(io.netty.channel.Channel channel, SocketMount mount, OpenConnections openConnections,
      ClosingHandshake closingHandshake) {
    this.channel = channel;
    this.mount = mount;
    this.telemetry = mount.telemetry();
    this.openConnections = openConnections;
    this.closingHandshake = closingHandshake;
  }

  /** Called once, on the event loop, right after the handshake and before reading resumes. */
  void open(SocketMount.Accepted accepted) {
    compressed = channel.pipeline().toMap().values().stream().anyMatch(h -> h instanceof WebSocketExtensionEncoder);
    session = accepted.open(this);
    openConnections.add(this);
  }

  /** This connection and its session, for a drain (close 1012, after the queued frames); once opened. */
  OpenSocket openSocket() {
    return new OpenSocket(() -> close(CloseCodes.SERVICE_RESTART, "server restart"), session);
  }

  /** A broadcast frame: its wire form is built once and shared by every recipient (unless compressed). */
  @Override
  public void sendShared(Frame frame) {
    if (!compressed) {
      SharedWireFrames.of(frame);
    }
    send(frame);
  }

  @Override
  public void send(Frame frame) {
    if (closing.get()) {
      telemetry.dropped();
      return;
    }
    long queued = queuedBytes.addAndGet(frame.bytes().length);
    if (queued > mount.options().maxQueuedBytes()) {
      queuedBytes.addAndGet(-frame.bytes().length);
      slowConsumer(queued);
      return;
    }
    outbound.add(frame);
    if (flushScheduled.compareAndSet(false, true)) {
      // One task per connection, not one per event loop for all: measured, a per-loop drain task raised the
      // p99 of paced broadcasts from ~40 ms to 200+ ms (docs/benchmarks.md, "Write batching").
      channel.eventLoop().execute(flushTask);
    }
  }

  /** The client stopped reading fast enough: drop this frame, or close, per the mount's policy. */
  private void slowConsumer(long queued) {
    telemetry.dropped();
    if (mount.options().slowConsumerPolicy() == SlowConsumerPolicy.DROP) {
      telemetry.slowConsumer("websocket", "drop", queued);
      return;
    }
    if (closing.compareAndSet(false, true)) {
      log.info("closing WebSocket {}: {} bytes queued for a client that does not read", sessionId(), queued);
      telemetry.slowConsumer("websocket", "close", queued);
      channel.eventLoop().execute(() -> {
        // The queue is the problem: discard it, so that the close frame is next after what Netty holds.
        outbound.clear();
        queuedBytes.set(0);
        closingHandshake.start(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
      });
    }
  }

  /** Writes what is queued while the channel is writable and flushes once; on the event loop only. */
  private void flushOutbound() {
    if (!channel.isWritable()) {
      // flushScheduled stays set, so sends meanwhile schedule nothing: channelWritabilityChanged drains.
      return;
    }
    flushScheduled.set(false);
    writeQueued(false);
  }

  /** Writes queued frames, all of them or only while the channel is writable, then flushes once. */
  private void writeQueued(boolean all) {
    boolean wrote = false;
    Frame frame;
    while ((frame = outbound.poll()) != null) {
      queuedBytes.addAndGet(-frame.bytes().length);
      if (!compressed && SharedWireFrames.cached(frame) instanceof ByteBuf wire) {
        channel.write(wire.retainedDuplicate(), channel.voidPromise()); // already a complete WebSocket frame
      } else {
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
    // Fired also from inside our own flush: drain in a task of its own, never re-entering writeQueued.
    if (ctx.channel().isWritable() && !outbound.isEmpty()) {
      flushScheduled.set(true);
      ctx.executor().execute(flushTask);
    }
    super.channelWritabilityChanged(ctx);
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    channel.eventLoop().execute(() -> {
      writeQueued(true); // what was sent before the close still goes out, in order (at most maxQueuedBytes)
      closingHandshake.start(code, reason);
    });
  }

  /** The idle timer ran out ({@link WebSocketIdleTimer}); on the event loop. */
  void idleTimedOut() {
    telemetry.transportError("websocket", "idle_timeout");
    log.debug("closing idle WebSocket {}", sessionId());
    close(CloseCodes.GOING_AWAY, "idle timeout");
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (closing.get()) {
      return; // the session asked to close: nothing more from this client reaches it
    }
    if (compressed && frame.content().readableBytes() > mount.options().maxFrameSize()) {
      refuse(ClientFault.TOO_BIG); // inflated past this mount's cap, under the inflater's limit for all mounts
      return;
    }
    switch (frame) {
      case TextWebSocketFrame text -> session.receive(new Frame(false, ByteBufUtil.getBytes(text.content())));
      case BinaryWebSocketFrame binary -> session.receive(new Frame(true, ByteBufUtil.getBytes(binary.content())));
      case PingWebSocketFrame ping -> {
        if (ctx.channel().isWritable()) { // a client that does not read gets no pongs piling up in Netty's buffer
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        }
      }
      case CloseWebSocketFrame close -> {
        closing.set(true);
        // Echo the client's code; a close without one (statusCode -1) is answered without one.
        CloseWebSocketFrame answer = close.statusCode() < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(close.statusCode(), "");
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
      }
      default -> { } // pongs and stray continuations (the aggregator joins fragments) need no answer
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing.set(true);
    outbound.clear();
    if (session != null) {
      openConnections.remove(this);
      session.transportClosed();
    }
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (closing.get()) {
      return; // already closing (e.g. the rest of a refused frame): the close is on its way
    }
    ClientFault fault = ClientFault.of(cause);
    if (fault != null) {
      refuse(fault);
    } else if (cause instanceof java.io.IOException) {
      log.debug("WebSocket {} closed on an I/O error: {}", sessionId(), LogSafe.clip(cause.getMessage()));
      telemetry.transportError("websocket", "io");
      ctx.close();
    } else {
      log.warn("WebSocket {}: unexpected error, closing", sessionId(), cause);
      telemetry.transportError("websocket", "internal");
      close(CloseCodes.INTERNAL_ERROR, "internal error");
    }
  }

  /** Closes for a client's mistake, with one short line in the log. */
  private void refuse(ClientFault fault) {
    if (fault == ClientFault.TOO_BIG) {
      log.info("closing WebSocket {}: frame over the size limit", sessionId());
    } else {
      log.debug("closing WebSocket {}: {}", sessionId(), fault.reason());
    }
    telemetry.transportError("websocket", fault.kind());
    close(fault.code(), fault.reason());
  }

  private String sessionId() {
    return session == null ? "(opening)" : LogSafe.clip(session.id());
  }
}
