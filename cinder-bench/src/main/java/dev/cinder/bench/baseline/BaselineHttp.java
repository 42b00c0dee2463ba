package dev.cinder.bench.baseline;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The baseline's HTTP side: the WebSocket upgrade, {@code POST /api/broadcast} and {@code GET /health}. */
@ChannelHandler.Sharable
final class BaselineHttp extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final WebSocketDecoderConfig DECODER = WebSocketDecoderConfig.newBuilder()
      .maxFramePayloadLength(1 << 20).closeOnProtocolViolation(true).build();

  private final BaselineServer server;
  private final String bearer;

  BaselineHttp(BaselineServer server, String adminToken) {
    this.server = server;
    this.bearer = "Bearer " + adminToken;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    String path = request.uri().split("\\?", 2)[0];
    if (path.equals("/socket/websocket")) {
      upgrade(ctx, request);
    } else if (path.equals("/api/broadcast") && request.method().equals(HttpMethod.POST)) {
      respond(ctx, request, broadcast(request));
    } else if (path.equals("/health")) {
      respond(ctx, request, HttpResponseStatus.OK);
    } else {
      respond(ctx, request, HttpResponseStatus.NOT_FOUND);
    }
  }

  private void upgrade(ChannelHandlerContext ctx, FullHttpRequest request) {
    String url = "ws://" + request.headers().get(HttpHeaderNames.HOST) + request.uri();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, null, DECODER).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ctx.pipeline().addLast(new BaselineSocket(server));
    handshaker.handshake(ctx.channel(), request).addListener(done -> {
      if (done.isSuccess()) {
        ctx.pipeline().remove(this);
      } else {
        ctx.close();
      }
    });
  }

  /** Encodes {@code [null,null,topic,event,payload]} once and writes it to every joined socket of the topic. */
  private HttpResponseStatus broadcast(FullHttpRequest request) {
    if (!bearer.equals(request.headers().get(HttpHeaderNames.AUTHORIZATION))) {
      return HttpResponseStatus.UNAUTHORIZED;
    }
    JsonNode body = JSON.readTree(request.content().toString(StandardCharsets.UTF_8));
    String topic = body.path("topic").asString();
    String frame = "[null,null," + JSON.writeValueAsString(topic) + "," + JSON.writeValueAsString(body.path("event").asString())
        + "," + JSON.writeValueAsString(body.path("payload")) + "]";
    ByteBuf bytes = Unpooled.wrappedBuffer(frame.getBytes(StandardCharsets.UTF_8));
    for (Channel ch : server.topics.getOrDefault(topic, Set.of())) {
      ch.writeAndFlush(new TextWebSocketFrame(bytes.retainedDuplicate()), ch.voidPromise());
    }
    bytes.release();
    return HttpResponseStatus.ACCEPTED;
  }

  private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status) {
    byte[] body = (status == HttpResponseStatus.ACCEPTED ? "{\"ok\":true}" : "{\"status\":\"" + status.code() + "\"}")
        .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
    HttpUtil.setContentLength(response, body.length);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
