package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.serializer.Frame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * What a WebSocket client sends, taken to its session: each whole data message (the aggregator before this
 * joined its fragments) becomes a {@link Frame} for the session, a ping is answered with a pong, the client's
 * close is echoed and ends the connection; and the end of the connection reaches the session too.
 */
final class InboundFrames extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final WebSocketConnection connection;
  private final int maxFrameSize;
  private final boolean compressed;

  InboundFrames(WebSocketConnection connection, int maxFrameSize, boolean compressed) {
    this.connection = connection;
    this.maxFrameSize = maxFrameSize;
    this.compressed = compressed;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    if (connection.closing()) {
      return; // the session asked to close: nothing more from this client reaches it
    }
    if (compressed && frame.content().readableBytes() > maxFrameSize) {
      connection.refuse(ClientFault.TOO_BIG); // inflated past this mount's cap, under the inflater's limit for all mounts
      return;
    }
    switch (frame) {
      case TextWebSocketFrame text -> connection.session().receive(new Frame(false, ByteBufUtil.getBytes(text.content())));
      case BinaryWebSocketFrame binary -> connection.session().receive(new Frame(true, ByteBufUtil.getBytes(binary.content())));
      case PingWebSocketFrame ping -> {
        if (ctx.channel().isWritable()) { // a client that does not read gets no pongs piling up in Netty's buffer
          ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        }
      }
      case CloseWebSocketFrame close -> {
        connection.clientClosing();
        // Echo the client's code; a close without one (statusCode -1) is answered without one.
        CloseWebSocketFrame answer = close.statusCode() < 0 ? new CloseWebSocketFrame() : new CloseWebSocketFrame(close.statusCode(), "");
        ctx.writeAndFlush(answer).addListener(ChannelFutureListener.CLOSE);
      }
      default -> { } // pongs and stray continuations (the aggregator joins fragments) need no answer
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    connection.transportClosed();
    super.channelInactive(ctx);
  }
}
