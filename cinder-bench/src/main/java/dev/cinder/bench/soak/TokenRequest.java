package dev.cinder.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/token {"user_id"}} on a connection of its own (closed after the answer), as the example's page
 * asks for a token before it opens a socket. The callback gets the token, or null and why not.
 */
final class TokenRequest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private TokenRequest() {}

  static void fetch(Bootstrap bootstrap, InetSocketAddress server, InetSocketAddress local, String userId, SoakStats stats,
      BiConsumer<String, String> done) {
    boolean[] answered = {false};
    BiConsumer<String, String> once = (token, why) -> {
      if (!answered[0]) {
        answered[0] = true;
        done.accept(token, why);
      }
    };
    Connects.connect(bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), new SimpleChannelInboundHandler<FullHttpResponse>() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            byte[] body = ("{\"user_id\":\"" + userId + "\"}").getBytes(StandardCharsets.UTF_8);
            FullHttpRequest r = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/api/token",
                Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.HOST, server.getHostString() + ":" + server.getPort())
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(r);
          }

          @Override
          protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            String text = response.content().toString(StandardCharsets.UTF_8);
            JsonNode token = null;
            try {
              token = JSON.readTree(text).get("token");
            } catch (RuntimeException e) {
              // reported below
            }
            if (response.status().code() == 200 && token != null && token.isString()) {
              once.accept(token.asString(), null);
            } else {
              once.accept(null, "HTTP " + response.status().code() + " " + text);
            }
            ctx.close();
          }

          @Override
          public void channelInactive(ChannelHandlerContext ctx) {
            once.accept(null, "connection closed before the answer");
          }

          @Override
          public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            once.accept(null, String.valueOf(cause));
            ctx.close();
          }
        });
      }
    }), server, local, stats, cause -> once.accept(null, "connect: " + SoakWebSocket.describe(cause)));
  }
}
