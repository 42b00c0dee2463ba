package dev.cinder.internal.netty;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Sits right behind the parser in a fuzzed connection and numbers every request it decodes, in the order
 * sent: the number (from 1) goes in the {@value #SEQ} header, which the test's routes echo, and the method is
 * kept (a response to HEAD has no body). It only looks; everything goes on unchanged otherwise.
 */
final class RequestLog extends ChannelInboundHandlerAdapter {
  static final String SEQ = "x-fuzz-seq";

  private final List<HttpMethod> methods = new ArrayList<>();

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    // A request the parser makes of what is left when the connection closes cannot be answered: not counted.
    if (msg instanceof HttpRequest request && ctx.channel().isActive()) {
      methods.add(request.method());
      request.headers().set(SEQ, methods.size());
    }
    ctx.fireChannelRead(msg);
  }

  /** Requests decoded so far. */
  int size() {
    return methods.size();
  }

  /** Whether the i-th request (from 0) was a HEAD. */
  boolean isHead(int i) {
    return HttpMethod.HEAD.equals(methods.get(i));
  }
}
