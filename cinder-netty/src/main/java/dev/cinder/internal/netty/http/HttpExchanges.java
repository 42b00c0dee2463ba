package dev.cinder.internal.netty.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * Keeps one connection's request/response exchanges in order (RFC 9112 §9.3.2): one request is handled at a
 * time, and the next is passed on only once the answer to this one is written, so pipelined requests are
 * answered in the order they were sent whatever each takes. Requests that arrive meanwhile wait here, and
 * the connection stops reading while any waits: at most one read's worth of later requests is held, and
 * of those at most {@code maxPipelinedRequests - 1} wait (the rest are dropped, and the connection closes
 * after answering those that waited).
 *
 * <p>It also ends what an answer ends: after a {@code Connection: close} answer the connection closes
 * (half-closing first, so a client still sending can read why it was refused), an answer given before the
 * request's body was read always closes, and after a 101 the connection leaves HTTP: this handler, the
 * timers and the admission leave the pipeline.
 */
public final class HttpExchanges extends ChannelDuplexHandler {
  /** Fired down the pipeline when an exchange's final answer is written: its body may be forgotten. */
  static final Object ANSWERED = new Object() {
    @Override
    public String toString() {
      return "HttpExchanges.ANSWERED";
    }
  };

  /** How long a refused client may still send (its bytes are dropped) after a half-close, before the close. */

  private final HttpTimeouts timeouts;
  private final int maxWaitingRequests;
  private final ArrayDeque<HttpObject> waiting = new ArrayDeque<>();
  private int waitingRequests;
  private boolean overflowed; // more requests came than may be in flight: answer those waiting, then close
  private boolean inExchange; // a request was passed on and is not yet answered
  private boolean bodyExpected; // ... it announced a body
  private boolean requestComplete; // ... and all of it was passed on
  private boolean answering; // a final answer is being written (its head went, its end not yet)
  private boolean closing;

  public HttpExchanges(HttpTimeouts timeouts, int maxInFlight) {
    this.timeouts = timeouts;
    this.maxWaitingRequests = maxInFlight - 1; // one is being handled
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof HttpObject http)) {
      ctx.fireChannelRead(msg);
    } else if (closing || overflowed) {
      ReferenceCountUtil.release(msg);
    } else if (requestComplete || !waiting.isEmpty()) {
      if (http instanceof HttpRequest && waitingRequests == maxWaitingRequests) {
        overflowed = true; // this request and all after it are dropped; the last one waiting will close
        ReferenceCountUtil.release(msg);
        return;
      }
      waitingRequests += http instanceof HttpRequest ? 1 : 0;
      waiting.add(http); // a later request: it waits for this one's answer, and reading pauses
      ctx.channel().config().setAutoRead(false);
    } else {
      pass(ctx, http);
    }
  }

  private void pass(ChannelHandlerContext ctx, HttpObject msg) {
    if (msg instanceof HttpRequest request) {
      inExchange = true;
      bodyExpected = !request.decoderResult().isSuccess() // unknown: assume the worst
          || HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) != 0;
      timeouts.headReceived();
    } else if (!inExchange) {
      ReferenceCountUtil.release(msg); // the rest of a body answered early (the connection is closing)
      return;
    }
    if (msg instanceof LastHttpContent) {
      requestComplete = true;
      timeouts.requestReceived();
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    boolean finalHead = inExchange && msg instanceof HttpResponse response && isFinal(response);
    boolean upgrade = false;
    if (finalHead) {
      HttpResponse response = (HttpResponse) msg;
      upgrade = response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
      if (!upgrade && (bodyExpected && !requestComplete || overflowed && waiting.isEmpty())) {
        // Answered before its body was read (the unread rest would be taken for the next request), or the
        // last answer a client that pipelined too much gets.
        response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      }
      closing = !upgrade && !HttpUtil.isKeepAlive(response);
      answering = true;
    }
    boolean finalEnd = answering && msg instanceof LastHttpContent;
    ctx.write(msg, promise);
    if (finalEnd) {
      answered(ctx, upgrade, promise);
    }
  }

  /** Whether requests the client sent after the one being handled wait here for their turn. */
  public boolean hasWaiting() {
    return !waiting.isEmpty();
  }

  private static boolean isFinal(HttpResponse response) {
    return response.status().codeClass() != HttpStatusClass.INFORMATIONAL
        || response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code();
  }

  private void answered(ChannelHandlerContext ctx, boolean upgrade, ChannelPromise written) {
    inExchange = false;
    requestComplete = false;
    answering = false;
    ctx.fireUserEventTriggered(ANSWERED);
    if (upgrade) {
      written.addListener(f -> {
        if (f.isSuccess()) {
          leaveHttp(ctx);
        }
      });
    } else if (closing) {
      timeouts.stop();
      releaseWaiting();
      written.addListener(f -> LingeringClose.close(ctx));
    } else if (!waiting.isEmpty()) {
      ctx.executor().execute(() -> passWaiting(ctx));
    } else if (!overflowed) {
      timeouts.allAnswered();
      ctx.channel().config().setAutoRead(true);
    }
  }

  /** Passes on the requests that waited, up to the next one that must be answered first. */
  private void passWaiting(ChannelHandlerContext ctx) {
    while (!closing && !requestComplete && !waiting.isEmpty()) {
      HttpObject next = waiting.poll();
      waitingRequests -= next instanceof HttpRequest ? 1 : 0;
      pass(ctx, next);
    }
    if (!closing && !overflowed && waiting.isEmpty()) {
      ctx.channel().config().setAutoRead(true);
      if (!inExchange) {
        timeouts.allAnswered();
      }
    }
  }

  private void leaveHttp(ChannelHandlerContext ctx) {
    releaseWaiting();
    var pipeline = ctx.pipeline();
    pipeline.remove(HttpTimeouts.class);
    if (pipeline.get(RequestAdmission.class) != null) {
      pipeline.remove(RequestAdmission.class);
    }
    pipeline.remove(this);
  }

  private void releaseWaiting() {
    waiting.forEach(ReferenceCountUtil::release);
    waiting.clear();
    waitingRequests = 0;
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseWaiting();
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseWaiting();
  }
}
