package dev.cinder.netty;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.serializer.Frame;
import dev.cinder.socket.CloseCodes;
import dev.cinder.socket.Connection;
import dev.cinder.socket.SocketMount;
import dev.cinder.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The WebSocket side of one socket: turns whole data frames into {@link Frame}s for the {@link SocketSession}
 * and writes outbound frames. Outbound frames from other threads are queued and written by one task on the
 * channel's event loop, with one flush for everything queued meanwhile.
 */
final class WebSocketConnection extends SimpleChannelInboundHandler<WebSocketFrame> implements Connection {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

  private final io.netty.channel.Channel channel;
  private final ConcurrentLinkedQueue<Frame> outbound = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean flushScheduled = new AtomicBoolean();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final Runnable flushTask = this::flushOutbound;
  private boolean compressed; // permessage-deflate in use: frames must go through the per-connection encoder
  // Bytes in `outbound`, not yet handed to Netty; Netty's own buffer is read from the channel.
  private final AtomicLong queuedBytes = new AtomicLong();
  private final SocketMount mount;
  private final Telemetry telemetry;
  private final OpenConnections openConnections;
  private SocketSession session;

  WebSocketConnection(io.netty.channel.Channel channel, SocketMount mount, OpenConnections openConnections) {
    this.channel = channel;
    this.mount = mount;
    this.telemetry = mount.telemetry();
    this.openConnections = openConnections;
  }

  /** Called once, on the event loop, right after the handshake and before reading resumes. */
  void open(SocketMount.Accepted accepted) {
    compressed = channel.pipeline().toMap().values().stream().anyMatch(h -> h instanceof WebSocketExtensionEncoder);
    session = accepted.open(this);
    openConnections.add(this);
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
    long queued = queuedBytes.addAndGet(frame.bytes().length) + nettyPendingBytes();
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

  private long nettyPendingBytes() {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    return buffer == null ? 0 : buffer.totalPendingWriteBytes();
  }

  /** The client stopped reading fast enough: drop this frame, or close, per the mount's policy. */
  private void slowConsumer(long queued) {
    telemetry.dropped();
    if (mount.options().slowConsumerPolicy() == SlowConsumerPolicy.DROP) {
      telemetry.slowConsumer("websocket", "drop", queued);
      return;
    }
    if (closing.compareAndSet(false, true)) {
      log.info("closing WebSocket {}: {} bytes queued for a client that does not read", session == null ? null : session.id(), queued);
      telemetry.slowConsumer("websocket", "close", queued);
      channel.eventLoop().execute(() -> {
        // The queue is the problem: discard it, tell the client why, and do not wait for a flush that may never come.
        outbound.clear();
        queuedBytes.set(0);
        channel.writeAndFlush(new CloseWebSocketFrame(CloseCodes.TRY_AGAIN_LATER, "slow consumer"));
        channel.close();
      });
    }
  }

  /** Writes everything queued and flushes once; on the event loop only. */
  private void flushOutbound() {
    flushScheduled.set(false);
    boolean wrote = false;
    Frame frame;
    while ((frame = outbound.poll()) != null) {
      queuedBytes.addAndGet(-frame.bytes().length);
      if (!compressed && frame.transportForm() instanceof ByteBuf wire) {
        channel.write(wire.retainedDuplicate(), channel.voidPromise()); // already a complete WebSocket frame
      } else {
        ByteBuf content = Unpooled.wrappedBuffer(frame.bytes());
        channel.write(frame.binary() ? new BinaryWebSocketFrame(content) : new TextWebSocketFrame(content), channel.voidPromise());
      }
      wrote = true;
    }
    if (wrote) {
      channel.flush();
    }
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
      flushOutbound(); // what was sent before the close still goes out, in order
      channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    });
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      case TextWebSocketFrame text -> session.receive(new Frame(false, ByteBufUtil.getBytes(text.content())));
      case BinaryWebSocketFrame binary -> session.receive(new Frame(true, ByteBufUtil.getBytes(binary.content())));
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close -> {
        closing.set(true);
        ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
      }
      default -> { } // pongs and stray continuations (the aggregator joins fragments) need no answer
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
    if (event instanceof IdleStateEvent) {
      telemetry.transportError("websocket", "idle_timeout");
      log.debug("closing idle WebSocket {}", session.id());
      close(CloseCodes.GOING_AWAY, "idle timeout");
    } else {
      super.userEventTriggered(ctx, event);
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
    if (cause instanceof TooLongFrameException
        || cause instanceof CorruptedWebSocketFrameException c && c.closeStatus() != null
            && c.closeStatus().code() == CloseCodes.MESSAGE_TOO_BIG) {
      log.info("closing WebSocket {}: frame over the size limit", session == null ? null : session.id());
      telemetry.transportError("websocket", "frame_too_large");
      close(CloseCodes.MESSAGE_TOO_BIG, "frame too large");
    } else if (cause instanceof CorruptedWebSocketFrameException) {
      telemetry.transportError("websocket", "bad_frame");
      close(CloseCodes.PROTOCOL_ERROR, "bad frame");
    } else {
      log.debug("WebSocket error, closing", cause);
      telemetry.transportError("websocket", "io");
      ctx.close();
    }
  }
}
