package dev.cinder.internal.netty.websocket;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of a WebSocket close, done so that the close frame reaches the client: write the close
 * frame, then half-close the output once it is out (the client sees the frame, then end of stream), and keep
 * reading and discarding whatever the client still sends until it closes too (end of stream or its close frame)
 * or {@link #GRACE} passes.
 *
 * <p>Closing the socket at once instead loses the frame in two ways: a close with unread input makes the kernel
 * send a reset, which discards what is not yet delivered (a client still sending an oversized frame sees 1006,
 * not 1009); and a close while the frame waits in Netty's buffer for a client that does not read drops it.
 *
 * <p>Sits right after the WebSocket decoders; from {@link #start} on, no frame goes further down the pipeline.
 */
final class ClosingHandshake extends ChannelInboundHandlerAdapter {
  /** How long a client has to take the close frame and close its side before the socket is closed anyway. */
  static final Duration GRACE = Duration.ofSeconds(2);

  private final Channel channel;
  private ChannelFuture closeFrameWritten; // set once, on the event loop, by start()

  ClosingHandshake(Channel channel) {
    this.channel = channel;
  }

  /** Sends the close frame and lingers; on the event loop, once per connection. */
  void start(int code, String reason) {
    if (closeFrameWritten != null) {
      return;
    }
    dropExtensionDecoders(); // input is discarded from now on: do not inflate it first
    closeFrameWritten = channel.writeAndFlush(new CloseWebSocketFrame(code, reason));
    closeFrameWritten.addListener((ChannelFutureListener) written -> {
      if (written.isSuccess() && channel instanceof DuplexChannel duplex) {
        duplex.shutdownOutput();
      } else {
        channel.close();
      }
    });
    var graceEnds = channel.eventLoop().schedule(() -> {
      channel.close();
    }, GRACE.toMillis(), TimeUnit.MILLISECONDS);
    channel.closeFuture().addListener(closed -> graceEnds.cancel(false));
  }

  boolean started() {
    return closeFrameWritten != null;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closeFrameWritten == null) {
      ctx.fireChannelRead(msg);
      return;
    }
    boolean clientClosed = msg instanceof CloseWebSocketFrame;
    ReferenceCountUtil.release(msg);
    if (clientClosed) {
      // The handshake is complete: the server closes the TCP connection, once its own frame is out.
      closeFrameWritten.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void dropExtensionDecoders() {
    for (var entry : channel.pipeline().toMap().entrySet()) {
      ChannelHandler handler = entry.getValue();
      if (handler instanceof WebSocketExtensionDecoder) {
        channel.pipeline().remove(handler);
      }
    }
  }
}
