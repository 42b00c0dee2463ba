package dev.cinder.internal.netty.http;

import dev.cinder.http.HttpResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/**
 * Writing HTTP responses, keep-alive aware. Safe to call from any thread. A response written with
 * {@code keepAlive} false says {@code Connection: close}, and the connection's {@link HttpExchanges} closes
 * the connection once it is written.
 */
public final class Responses {
  private Responses() {}

  /** Returns the write's future, which fails if the client's connection went away first. */
  public static ChannelFuture send(ChannelHandlerContext ctx, boolean keepAlive, HttpResponse response) {
    FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(response.body()));
    if (response.contentType() != null) {
      out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
    }
    response.headers().forEach((name, value) -> out.headers().set(name, value));
    return write(ctx, keepAlive, out);
  }

  /** A response with no body, e.g. the 403 of a refused WebSocket upgrade. */
  public static void status(ChannelHandlerContext ctx, boolean keepAlive, int status) {
    write(ctx, keepAlive, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status)));
  }

  /** A response with no body and one header, e.g. a 426 naming the supported WebSocket version. */
  public static void status(ChannelHandlerContext ctx, boolean keepAlive, int status, String header, String value) {
    FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    out.headers().set(header, value);
    write(ctx, keepAlive, out);
  }

  private static ChannelFuture write(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse out) {
    HttpUtil.setContentLength(out, out.content().readableBytes());
    out.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return ctx.writeAndFlush(out);
  }
}
