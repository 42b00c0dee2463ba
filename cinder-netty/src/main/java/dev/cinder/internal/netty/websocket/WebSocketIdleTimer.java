package dev.cinder.internal.netty.websocket;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The idle timeout of a WebSocket (see {@code SocketOptions.idleTimeout}): runs {@code onIdle} once when the
 * client has shown no activity for the timeout. Activity is a complete data message (its final frame), or a
 * ping or pong while no fragmented message is half-received; so pings keep an idle client connected, but not
 * an unfinished message.
 *
 * <p>Sits before the frame aggregator, where fragments are still visible. It is itself the check the event loop
 * runs at the deadline ({@link #run}), so a waiting timer holds no task object of its own besides Netty's.
 */
final class WebSocketIdleTimer extends ChannelInboundHandlerAdapter implements Runnable {
  private final long timeoutNanos;
  private final Runnable onIdle;
  private long lastActivity;
  private boolean fragmentPending;
  private ScheduledFuture<?> check;
  private ChannelHandlerContext ctx; // set when added, on the event loop

  WebSocketIdleTimer(long timeoutMillis, Runnable onIdle) {
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    this.onIdle = onIdle;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    lastActivity = System.nanoTime();
    schedule(timeoutNanos);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cancel();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cancel();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (msg) {
      case TextWebSocketFrame first -> started(first.isFinalFragment());
      case BinaryWebSocketFrame first -> started(first.isFinalFragment());
      case ContinuationWebSocketFrame next -> {
        if (next.isFinalFragment()) {
          fragmentPending = false;
          lastActivity = System.nanoTime();
        }
      }
      case PingWebSocketFrame ping -> controlFrame();
      case PongWebSocketFrame pong -> controlFrame();
      default -> { }
    }
    ctx.fireChannelRead(msg);
  }

  private void started(boolean complete) {
    fragmentPending = !complete;
    if (complete) {
      lastActivity = System.nanoTime();
    }
  }

  private void controlFrame() {
    if (!fragmentPending) {
      lastActivity = System.nanoTime();
    }
  }

  private void schedule(long delayNanos) {
    check = ctx.executor().schedule(this, delayNanos, TimeUnit.NANOSECONDS);
  }

  /** The check at the deadline: expires the connection, or waits again for what is left since the last activity. */
  @Override
  public void run() {
    if (check == null || !ctx.channel().isActive()) {
      return; // cancelled meanwhile, or closed
    }
    long left = timeoutNanos - (System.nanoTime() - lastActivity);
    if (left <= 0) {
      onIdle.run();
    } else {
      schedule(left);
    }
  }

  private void cancel() {
    if (check != null) {
      check.cancel(false);
      check = null;
    }
  }
}
