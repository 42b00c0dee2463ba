package dev.cinder.bench.baseline;

import dev.cinder.bench.wire.ServerFrame;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;

/**
 * One baseline socket: the exact V2 replies Phoenix sends for {@code phx_join},
 * {@code heartbeat} and {@code ping}, and {@code unknown_event} for anything else; a frame it cannot read closes it.
 */
final class BaselineSocket extends SimpleChannelInboundHandler<WebSocketFrame> {
  private final BaselineServer server;

  BaselineSocket(BaselineServer server) {
    this.server = server;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
    switch (frame) {
      // A fresh copy of every frame, as when the baseline's figures were first taken: the generator's clients parse
      // in a reused buffer to leave the server more CPU, but this server is what Cinder is compared with, so its
      // work per frame (copy, split, the payload made a String where it echoes it) stays what it was.
      case TextWebSocketFrame text -> handle(ctx, ServerFrame.parse(ByteBufUtil.getBytes(text.content())));
      case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
      case CloseWebSocketFrame close ->
          ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
      default -> { }
    }
  }

  private void handle(ChannelHandlerContext ctx, ServerFrame m) {
    if (m == null) {
      ctx.writeAndFlush(new CloseWebSocketFrame(1002, "malformed frame")).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    if ("phoenix".equals(m.topic()) && "heartbeat".equals(m.event())) {
      reply(ctx, null, m.ref(), "phoenix", "ok", "{}");
      return;
    }
    switch (m.event()) {
      case "phx_join" -> {
        server.joined(m.topic(), ctx.channel());
        reply(ctx, m.joinRef(), m.ref(), m.topic(), "ok", "{}");
      }
      case "ping" -> reply(ctx, m.joinRef(), m.ref(), m.topic(), "ok", m.payload());
      default -> reply(ctx, m.joinRef(), m.ref(), m.topic(), "error", "{\"reason\":\"unknown_event\"}");
    }
  }

  private static void reply(ChannelHandlerContext ctx, String joinRef, String ref, String topic, String status, String response) {
    String text = "[" + quoted(joinRef) + "," + quoted(ref) + ",\"" + topic + "\",\"phx_reply\",{\"status\":\""
        + status + "\",\"response\":" + response + "}]";
    ctx.writeAndFlush(new TextWebSocketFrame(text), ctx.voidPromise());
  }

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }
}
