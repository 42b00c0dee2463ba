package dev.cinder.netty;

import dev.cinder.ConnectInfo;
import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import dev.cinder.http.HttpRoutes;
import dev.cinder.socket.SocketMount;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each HTTP request: a socket mount's {@code /websocket} path to the upgrade, anything else to the
 * application's routes, run on a virtual thread since they may block.
 */
@ChannelHandler.Sharable
final class HttpDispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

  private final List<SocketMount> mounts;
  private final HttpRoutes routes;
  private final LongPollSessions longPollSessions;
  private final OpenConnections openConnections;

  HttpDispatcher(List<SocketMount> mounts, HttpRoutes routes, LongPollSessions longPollSessions,
      OpenConnections openConnections) {
    this.mounts = mounts;
    this.routes = routes;
    this.longPollSessions = longPollSessions;
    this.openConnections = openConnections;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      Responses.status(ctx, false, 400);
      return;
    }
    QueryStringDecoder decoded = new QueryStringDecoder(request.uri());
    String path;
    try {
      path = decoded.path();
      decoded.parameters();
    } catch (IllegalArgumentException e) {
      Responses.send(ctx, false, HttpResponse.error(400, "malformed request URI"));
      return;
    }
    for (SocketMount mount : mounts) {
      if (mount.options().websocket() && path.equals(mount.path() + "/websocket")) {
        WebSocketUpgrade.handle(ctx, request, mount, firstValues(decoded), openConnections);
        return;
      }
      if (mount.options().longPoll() && path.equals(mount.path() + "/longpoll")) {
        LongPollTransport.handle(ctx, request, mount, decoded.parameters(), longPollSessions);
        return;
      }
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    Optional<HttpRoutes.Match> match = routes.match(request.method().name(), path);
    if (match.isEmpty()) {
      int status = routes.pathExists(path) ? 405 : 404;
      Responses.send(ctx, keepAlive, HttpResponse.error(status, status == 405 ? "method not allowed" : "not found"));
      return;
    }
    HttpRequest appRequest = new HttpRequest(request.method().name(), path, firstValues(decoded),
        match.get().pathParams(), headers(request), ByteBufUtil.getBytes(request.content()),
        (InetSocketAddress) ctx.channel().remoteAddress());
    Thread.ofVirtual().name("cinder-http").start(() -> {
      HttpResponse response;
      try {
        response = match.get().handler().handle(appRequest);
      } catch (Exception e) {
        log.error("{} {} failed", appRequest.method(), path, e);
        response = HttpResponse.error(500, "internal server error");
      }
      Responses.send(ctx, keepAlive, response);
    });
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("HTTP connection error", cause);
    ctx.close();
  }

  static Map<String, String> firstValues(QueryStringDecoder decoded) {
    Map<String, String> values = new LinkedHashMap<>();
    decoded.parameters().forEach((key, list) -> values.put(key, list.isEmpty() ? "" : list.getFirst()));
    return values;
  }

  static Map<String, List<String>> headers(FullHttpRequest request) {
    Map<String, List<String>> headers = new HashMap<>();
    for (Map.Entry<String, String> h : request.headers()) {
      headers.computeIfAbsent(h.getKey().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>()).add(h.getValue());
    }
    return headers;
  }

  static ConnectInfo connectInfo(ChannelHandlerContext ctx, FullHttpRequest request, String authToken, String transport) {
    URI uri;
    try {
      uri = URI.create(request.uri());
    } catch (IllegalArgumentException e) {
      uri = URI.create("/");
    }
    return new ConnectInfo((InetSocketAddress) ctx.channel().remoteAddress(), uri, headers(request), authToken, transport);
  }
}
