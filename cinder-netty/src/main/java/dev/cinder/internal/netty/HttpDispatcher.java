package dev.cinder.internal.netty;

import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.netty.http.RequestInfo;
import dev.cinder.internal.netty.http.RequestTarget;
import dev.cinder.internal.netty.http.Responses;
import dev.cinder.internal.netty.http.RoutedRequest;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.internal.netty.longpoll.LongPollTransport;
import dev.cinder.internal.netty.websocket.OpenConnections;
import dev.cinder.internal.netty.websocket.WebSocketUpgrade;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands each whole request to what it asks for ({@link RoutedRequest#target()}): a socket mount's WebSocket
 * upgrade or long-poll transport, or an application route. What may block (the route, a connect, a long-poll
 * POST's dispatch) runs on the {@code blocking} executor: a virtual thread per task in the server.
 */
@ChannelHandler.Sharable
final class HttpDispatcher extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(HttpDispatcher.class);

  private final LongPollSessions longPollSessions;
  private final OpenConnections openConnections;
  private final Executor blocking;

  HttpDispatcher(LongPollSessions longPollSessions, OpenConnections openConnections, Executor blocking) {
    this.longPollSessions = longPollSessions;
    this.openConnections = openConnections;
    this.blocking = blocking;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof RoutedRequest routed)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      dispatch(ctx, routed);
    } finally {
      routed.request().release();
    }
  }

  private void dispatch(ChannelHandlerContext ctx, RoutedRequest routed) {
    FullHttpRequest request = routed.request();
    RequestTarget target = routed.target();
    switch (target.kind()) {
      case WEBSOCKET -> {
        if (openConnections.draining()) {
          // This node is shutting down: the client reconnects with its backoff, to another node.
          Responses.status(ctx, false, 503);
        } else {
          WebSocketUpgrade.handle(ctx, request, target.mount(), RequestInfo.firstValues(routed.uri()), openConnections, blocking);
        }
      }
      case LONGPOLL -> LongPollTransport.handle(ctx, request, target.mount(), routed.uri().parameters(), longPollSessions,
          blocking);
      case ROUTE -> runRoute(ctx, request, routed.uri().path(), RequestInfo.firstValues(routed.uri()), target.route());
    }
  }

  private void runRoute(ChannelHandlerContext ctx, FullHttpRequest request, String path, Map<String, String> query,
      HttpRoutes.Match route) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpRequest appRequest = new HttpRequest(request.method().name(), path, query, route.pathParams(), RequestInfo.headers(request),
        ByteBufUtil.getBytes(request.content()), (InetSocketAddress) ctx.channel().remoteAddress());
    blocking.execute(() -> {
      HttpResponse response;
      try {
        response = route.handler().handle(appRequest);
      } catch (Exception e) {
        log.error("{} {} failed", appRequest.method(), LogSafe.clip(path), e);
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
}
