package dev.cinder.internal.netty.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP timers of one connection, first in the pipeline so it sees every received byte. The connection
 * is always in one phase, and only a phase where the client owes us bytes has a deadline:
 * <ul>
 *   <li>HEAD: a request line and headers are due ({@code HttpOptions.headerTimeout}, from the opening of
 *       the connection or the first byte of a kept-alive connection's next request, or from the last answer
 *       when that request's first bytes came before it);
 *   <li>BODY: the rest of a body is due ({@code HttpOptions.bodyTimeout}, in total);
 *   <li>RESPONSE: the request is in, the server owes the answer (no timer: a long-poll may be held);
 *   <li>IDLE: every request is answered ({@code HttpOptions.keepAliveTimeout}).
 * </ul>
 * {@link HttpExchanges} reports the request's progress. A late request that sent something gets 408 before the
 * close; a connection that asked nothing is just closed. Removed when the connection becomes a WebSocket.
 */
public final class HttpTimeouts extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpTimeouts.class);
  // Written as raw bytes, below the HTTP encoder: whatever state the codec is in, this is the last word.
  private static final byte[] REQUEST_TIMEOUT = ("HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n"
      + "connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

  private enum Phase { HEAD, BODY, RESPONSE, IDLE, DONE }

  private final HttpLimits options;
  private ChannelHandlerContext ctx;
  private Phase phase = Phase.HEAD;
  private boolean requestStarted; // in HEAD: whether a byte of the request came
  private ScheduledFuture<?> timer;

  public HttpTimeouts(HttpLimits options) {
    this.options = options;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    arm(options.headerTimeout());
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (phase == Phase.DONE) {
      ReferenceCountUtil.release(msg); // the connection is closing: what still comes is dropped, not parsed
      return;
    }
    if (msg instanceof ByteBuf bytes && bytes.isReadable()) {
      if (phase == Phase.IDLE) {
        enter(Phase.HEAD, options.headerTimeout());
      }
      if (phase == Phase.HEAD) {
        requestStarted = true;
      }
    }
    ctx.fireChannelRead(msg);
  }

  /** A request's head was decoded: its body is due now (an empty body ends at once, see below). */
  void headReceived() {
    enter(Phase.BODY, options.bodyTimeout());
  }

  /** The whole request is in: the server owes the answer, however long it takes. */
  void requestReceived() {
    enter(Phase.RESPONSE, null);
  }

  /**
   * Every request is answered and none is waiting: the connection may now idle for the keep-alive time, unless
   * the client has begun its next request (its first bytes came with or after the end of the last one and wait
   * in the parser): then its head is due, counted from now.
   */
  void allAnswered() {
    if (ParserBacklog.holdsBytes(ctx.pipeline())) {
      enter(Phase.HEAD, options.headerTimeout());
      requestStarted = true;
    } else {
      enter(Phase.IDLE, options.keepAliveTimeout());
    }
  }

  /** The connection is closing on its own terms (e.g. after a final answer): no timer may answer anymore. */
  void stop() {
    enter(Phase.DONE, null);
  }

  private void enter(Phase next, Duration deadline) {
    if (phase == Phase.DONE) {
      return;
    }
    phase = next;
    requestStarted = false;
    arm(deadline);
  }

  private void arm(Duration deadline) {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
    if (deadline != null) {
      Phase armedFor = phase;
      timer = ctx.executor().schedule(() -> expired(armedFor), deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
  }

  private void expired(Phase armedFor) {
    if (phase != armedFor || !ctx.channel().isActive()) {
      return;
    }
    boolean owesAnswer = phase == Phase.BODY || phase == Phase.HEAD && requestStarted;
    log.debug("closing HTTP connection {}: {} timed out", ctx.channel().remoteAddress(), phase);
    phase = Phase.DONE;
    if (owesAnswer) {
      // A client still sending (a trickled body) must read the 408 and then the end of the stream, not a reset.
      ctx.writeAndFlush(Unpooled.wrappedBuffer(REQUEST_TIMEOUT)).addListener(f -> LingeringClose.close(ctx));
    } else {
      ctx.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    stop();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }
}
