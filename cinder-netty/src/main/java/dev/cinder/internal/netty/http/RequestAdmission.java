package dev.cinder.internal.netty.http;

import dev.cinder.http.HttpResponse;
import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.socket.SocketMount;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides on each request from its request line and headers, before any body byte is kept: a request the
 * parser refused (400, 414, 431), no route (404, 405), the route's guard (e.g. 401), a declared length over
 * the target's limit (413), no room among the bodies in flight (503), an unknown {@code Expect} (417). Only
 * then is {@code 100 Continue} sent and the body collected, counted as it arrives (413 and 503 again for a
 * chunked body); the whole request goes on as a {@link RoutedRequest}. A refusal over a limit closes the
 * connection; so does any answer given while a body is still unread.
 */
public final class RequestAdmission extends ChannelInboundHandlerAdapter {
  private static final Logger log = LoggerFactory.getLogger(RequestAdmission.class);
  private static final String RETRY_AFTER_SECONDS = "5";

  private final HttpLimits options;
  private final List<SocketMount> mounts;
  private final HttpRoutes routes;
  private final RequestBodyBudget budget;

  // The request being collected (null between requests), and its budget until it is answered.
  private HttpRequest head;
  private QueryStringDecoder uri;
  private RequestTarget target;
  private long limit;
  private ByteBuf body;
  private long taken;

  public RequestAdmission(HttpLimits options, List<SocketMount> mounts, HttpRoutes routes, RequestBodyBudget budget) {
    this.options = options;
    this.mounts = mounts;
    this.routes = routes;
    this.budget = budget;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject)) {
      ctx.fireChannelRead(msg);
      return;
    }
    try {
      if (msg instanceof HttpRequest request) {
        begin(ctx, request);
      }
      if (msg instanceof HttpContent content && head != null) {
        collect(ctx, content);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void begin(ChannelHandlerContext ctx, HttpRequest request) {
    if (!request.decoderResult().isSuccess()) {
      Throwable cause = request.decoderResult().cause();
      refuse(ctx, cause instanceof TooLongHttpHeaderException ? 431 : cause instanceof TooLongHttpLineException ? 414 : 400,
          "malformed request");
      return;
    }
    QueryStringDecoder decoded = new QueryStringDecoder(request.uri());
    String path;
    try {
      path = decoded.path();
      decoded.parameters();
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, "malformed request URI");
      return;
    }
    RequestTarget found = RequestTarget.find(mounts, routes, request.method().name(), path);
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    if (found == null) {
      boolean wrongMethod = routes.pathExists(path);
      answer(ctx, keepAlive, HttpResponse.error(wrongMethod ? 405 : 404, wrongMethod ? "method not allowed" : "not found"));
      return;
    }
    if (found.kind() == RequestTarget.Kind.ROUTE) {
      Optional<HttpResponse> refusal = guard(ctx, request, decoded, path, found.route());
      if (refusal.isPresent()) {
        answer(ctx, keepAlive, refusal.get());
        return;
      }
    }
    String expect = request.headers().get(HttpHeaderNames.EXPECT);
    if (expect != null && !HttpHeaderValues.CONTINUE.contentEqualsIgnoreCase(expect.trim())) {
      refuse(ctx, 417, "unsupported expectation");
      return;
    }
    long max = found.maxBodySize(options);
    long declared = HttpUtil.getContentLength(request, -1L);
    if (declared > max) {
      refuse(ctx, 413, "the request body is larger than " + max + " bytes");
      return;
    }
    if (declared > 0 && !take(declared)) {
      refuse(ctx, noRoom());
      return;
    }
    if (HttpUtil.is100ContinueExpected(request)) {
      ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
    }
    head = request;
    uri = decoded;
    target = found;
    limit = max;
  }

  private Optional<HttpResponse> guard(ChannelHandlerContext ctx, HttpRequest request, QueryStringDecoder decoded,
      String path, HttpRoutes.Match route) {
    try {
      return route.options().guard().check(new dev.cinder.http.HttpRequest(request.method().name(), path,
          RequestInfo.firstValues(decoded), route.pathParams(), RequestInfo.headers(request), new byte[0],
          (InetSocketAddress) ctx.channel().remoteAddress()));
    } catch (Exception e) {
      log.error("the guard of {} {} failed", request.method(), LogSafe.clip(path), e);
      return Optional.of(HttpResponse.error(500, "internal server error"));
    }
  }

  private void collect(ChannelHandlerContext ctx, HttpContent content) {
    ByteBuf data = content.content();
    if (data.isReadable()) {
      long size = (body == null ? 0 : body.readableBytes()) + (long) data.readableBytes();
      if (size > limit) {
        refuse(ctx, 413, "the request body is larger than " + limit + " bytes");
        return;
      }
      if (size > taken && !take(size - taken)) {
        refuse(ctx, noRoom());
        return;
      }
      if (body == null) {
        int max = (int) Math.min(Math.max(limit, taken), Integer.MAX_VALUE - 8);
        body = Unpooled.buffer((int) Math.min(Math.max(taken, data.readableBytes()), 8192), max);
      }
      body.writeBytes(data);
    }
    if (content instanceof LastHttpContent last) {
      if (!last.decoderResult().isSuccess()) {
        refuse(ctx, 400, "malformed chunked body");
        return;
      }
      DefaultFullHttpRequest whole = new DefaultFullHttpRequest(head.protocolVersion(), head.method(), head.uri(),
          body == null ? Unpooled.EMPTY_BUFFER : body, head.headers(), last.trailingHeaders());
      RoutedRequest routed = new RoutedRequest(whole, uri, target);
      head = null;
      body = null; // now the request's: released by whoever receives it; the budget stays taken until answered
      ctx.fireChannelRead(routed);
    }
  }

  private boolean take(long bytes) {
    if (!budget.tryTake(bytes)) {
      return false;
    }
    taken += bytes;
    return true;
  }

  private static HttpResponse noRoom() {
    return HttpResponse.error(503, "too many request bodies in flight, retry later")
        .withHeader("retry-after", RETRY_AFTER_SECONDS);
  }

  private void refuse(ChannelHandlerContext ctx, int status, String why) {
    refuse(ctx, HttpResponse.error(status, why));
  }

  /** Answers now and closes the connection: a request over a limit, or one the parser could not read. */
  private void refuse(ChannelHandlerContext ctx, HttpResponse response) {
    answer(ctx, false, response);
  }

  /**
   * Answers now without reading the body; the connection may stay open only if there was no body to read
   * ({@link HttpExchanges} closes it otherwise). Later bytes of this request are dropped.
   */
  private void answer(ChannelHandlerContext ctx, boolean keepAlive, HttpResponse response) {
    forget();
    Responses.send(ctx, keepAlive, response);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == HttpExchanges.ANSWERED) {
      forget();
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** Drops the request being collected, if any, and gives its room back. */
  private void forget() {
    head = null;
    if (body != null) {
      body.release();
      body = null;
    }
    budget.giveBack(taken);
    taken = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    forget();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    forget();
  }
}
