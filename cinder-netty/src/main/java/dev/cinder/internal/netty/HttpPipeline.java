package dev.cinder.internal.netty;

import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.netty.http.HttpExchanges;
import dev.cinder.internal.netty.http.HttpLimits;
import dev.cinder.internal.netty.http.HttpTimeouts;
import dev.cinder.internal.netty.http.RequestAdmission;
import dev.cinder.internal.netty.http.RequestBodyBudget;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.internal.netty.websocket.OpenConnections;
import dev.cinder.internal.netty.websocket.WebSocketUpgrade;
import dev.cinder.internal.socket.SocketMount;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

/**
 * The pipeline of every HTTP connection of one server (the handlers are listed in {@link HttpServer}'s
 * javadoc), and what those connections share: the parser's limits, the budget of bodies in flight, the
 * dispatcher and where work that may block runs.
 */
final class HttpPipeline {
  // HttpExchanges bounds the requests in flight (HttpOptions.maxPipelinedRequests) and answers past it; the
  // parser's own bound, which closes at once, is only a backstop above what one read can bring.
  private static final int PARSER_PIPELINE_DEPTH = 1 << 16;
  private static final ThreadFactory VIRTUAL_THREADS = Thread.ofVirtual().name("cinder-http-", 0).factory();
  /** The server's: a virtual thread for each task (an application route, a connect, a long-poll POST). */
  static final Executor ON_VIRTUAL_THREADS = task -> VIRTUAL_THREADS.newThread(task).start();

  private final HttpLimits options;
  private final List<SocketMount> mounts;
  private final HttpRoutes routes;
  private final HttpDecoderConfig parser;
  private final RequestBodyBudget budget;
  private final HttpDispatcher dispatcher;
  private final boolean anyCompression;
  private final int maxInflated;

  /** {@code blocking} runs what may block (routes, connects, long-poll POSTs) off the I/O thread. */
  HttpPipeline(HttpLimits options, List<SocketMount> mounts, HttpRoutes routes, LongPollSessions longPollSessions,
      OpenConnections openConnections, Executor blocking) {
    this.options = options;
    this.mounts = mounts;
    this.routes = routes;
    this.parser = new HttpDecoderConfig()
        .setMaxInitialLineLength(options.maxRequestLineLength())
        .setMaxHeaderSize(options.maxHeaderSize());
    this.budget = new RequestBodyBudget(options.maxBodyBytesInFlight());
    this.dispatcher = new HttpDispatcher(longPollSessions, openConnections, blocking);
    this.anyCompression = mounts.stream().anyMatch(m -> m.options().compress());
    this.maxInflated = WebSocketUpgrade.maxInflatedBytes(mounts);
  }

  /** Adds a new connection's handlers; runs before the connection is active, so its timers start with it. */
  void init(Channel ch) {
    ChannelPipeline pipeline = ch.pipeline();
    HttpTimeouts timeouts = new HttpTimeouts(options);
    pipeline.addLast("timeouts", timeouts);
    pipeline.addLast("http", new HttpServerCodec(parser, PARSER_PIPELINE_DEPTH));
    pipeline.addLast("exchanges", new HttpExchanges(timeouts, options.maxPipelinedRequests()));
    if (anyCompression) {
      pipeline.addLast(WebSocketUpgrade.COMPRESSION, WebSocketUpgrade.compressionHandler(maxInflated));
    }
    pipeline.addLast("admission", new RequestAdmission(options, mounts, routes, budget));
    pipeline.addLast("dispatcher", dispatcher);
  }

  /** The bodies in flight over all this server's connections. */
  RequestBodyBudget budget() {
    return budget;
  }
}
