package dev.cinder.internal.netty.websocket;

import dev.cinder.ConnectInfo;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.netty.http.HttpExchanges;
import dev.cinder.internal.netty.http.ParserBacklog;
import dev.cinder.internal.netty.http.RequestInfo;
import dev.cinder.internal.netty.http.Responses;
import dev.cinder.internal.socket.SocketMount;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts or refuses a WebSocket upgrade on a socket mount, in Phoenix's order: method, origin,
 * subprotocol and auth token, then the mount's {@code vsn} and {@code connect} checks on {@code blocking}.
 * On success the HTTP handlers leave and the pipeline becomes a WebSocket pipeline, one handler per concern,
 * in the order a client's bytes take:
 * <ol>
 *   <li>Netty's frame decoder (and permessage-deflate's, when negotiated);
 *   <li>{@link ClosingHandshake}: once the server closes, every later frame stops here;
 *   <li>{@link WebSocketIdleTimer}: the idle timeout, where fragments are still visible;
 *   <li>Netty's frame aggregator: fragments joined into whole messages, up to the frame cap;
 *   <li>{@link OutboundQueue}: frames for the client, written while Netty's buffer has room;
 *   <li>{@link InboundFrames}: messages to the session, pongs, the client's close;
 *   <li>{@link WebSocketErrors}: an exception anywhere becomes a close code.
 * </ol>
 * The session sees all this as one {@link WebSocketConnection}.
 */
public final class WebSocketUpgrade {
  private static final Logger log = LoggerFactory.getLogger(WebSocketUpgrade.class);
  /** The pipeline name of the compression negotiation, which an upgrade on a mount without it removes. */
  public static final String COMPRESSION = "ws-compression";
  /** The WebSocket protocol version spoken (RFC 6455), as every browser sends it. */
  private static final String VERSION = "13";

  private WebSocketUpgrade() {}

  /**
   * Answers {@code request} (a whole request for {@code mount}'s WebSocket path, received by the handler of
   * {@code ctx}); on success that handler leaves the pipeline with the rest of HTTP.
   */
  public static void handle(ChannelHandlerContext ctx, FullHttpRequest request, SocketMount mount, Map<String, String> query,
      OpenConnections openConnections, Executor blocking) {
    var options = mount.options();
    if (!HttpMethod.GET.equals(request.method()) || !isUpgrade(request)) {
      refuse(ctx, request, 400);
      return;
    }
    String version = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_VERSION);
    if (version != null && !version.trim().equals(VERSION)) {
      log.info("refused WebSocket upgrade: unsupported Sec-WebSocket-Version {}", LogSafe.clip(version));
      refuse(ctx, request, 426);
      return;
    }
    if (version == null || !validKey(request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_KEY))) {
      log.info("refused WebSocket upgrade: missing Sec-WebSocket-Version or malformed Sec-WebSocket-Key");
      refuse(ctx, request, 400);
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!options.checkOrigin().allows(origin)) {
      log.info("refused WebSocket from origin {}: not allowed by check_origin", LogSafe.clip(origin));
      refuse(ctx, request, 403);
      return;
    }
    String protocolHeader = request.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL);
    AuthTokenProtocol protocols;
    try {
      protocols = options.authToken() ? AuthTokenProtocol.parse(protocolHeader) : new AuthTokenProtocol(null, java.util.List.of());
    } catch (IllegalArgumentException e) {
      log.debug("refused WebSocket: bad auth token subprotocol: {}", LogSafe.clip(e.getMessage()));
      refuse(ctx, request, 403);
      return;
    }
    if (options.authToken() && !protocols.otherProtocols().isEmpty() && !protocols.otherProtocols().contains("phoenix")) {
      refuse(ctx, request, 403);
      return;
    }
    // Echo "phoenix" whenever the client offered it: browsers fail a handshake whose offer got no answer.
    String subprotocol = protocols.otherProtocols().contains("phoenix") ? "phoenix" : null;
    ConnectInfo info = RequestInfo.connectInfo(ctx, request, protocols.token(), "websocket");

    request.retain();
    ctx.channel().config().setAutoRead(false);
    blocking.execute(() -> {
      Optional<SocketMount.Accepted> accepted = mount.connect(query, info);
      ctx.executor().execute(() -> {
        try {
          if (accepted.isEmpty()) {
            refuse(ctx, request, 403);
            ctx.channel().config().setAutoRead(true);
          } else {
            handshake(ctx, request, mount, accepted.get(), subprotocol, openConnections);
          }
        } finally {
          request.release();
        }
      });
    });
  }

  private static void handshake(ChannelHandlerContext ctx, FullHttpRequest request, SocketMount mount,
      SocketMount.Accepted accepted, String subprotocol, OpenConnections openConnections) {
    // RFC 6455 §4.1: a client waits for the handshake's answer before it sends more. What it sent anyway (held by
    // the parser, or parsed into requests waiting their turn) would never reach the WebSocket: refused instead.
    HttpExchanges exchanges = ctx.pipeline().get(HttpExchanges.class);
    if (ParserBacklog.holdsBytes(ctx.pipeline()) || exchanges != null && exchanges.hasWaiting()) {
      log.info("refused WebSocket upgrade: the client sent data before the handshake's answer");
      refuse(ctx, request, 400);
      return;
    }
    var options = mount.options();
    WebSocketDecoderConfig config = WebSocketDecoderConfig.newBuilder()
        .maxFramePayloadLength(options.maxFrameSize())
        .allowExtensions(options.compress())
        .closeOnProtocolViolation(false) // WebSocketErrors closes, through ClosingHandshake: the frame gets out
        .build();
    String url = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
    WebSocketServerHandshaker handshaker = new WebSocketServerHandshakerFactory(url, subprotocol, config).newHandshaker(request);
    if (handshaker == null) {
      WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
      return;
    }
    ChannelPipeline pipeline = ctx.pipeline();
    if (!options.compress() && pipeline.get(COMPRESSION) != null) {
      pipeline.remove(COMPRESSION);
    }
    ClosingHandshake closingHandshake = new ClosingHandshake(ctx.channel());
    handshaker.handshake(ctx.channel(), request).addListener(done -> {
      if (!done.isSuccess()) {
        log.debug("WebSocket handshake failed: {}", done.cause().toString());
        ctx.close();
        return;
      }
      ctx.channel().config().setWriteBufferWaterMark(OutboundQueue.WATER_MARK);
      boolean compressed = pipeline.toMap().values().stream().anyMatch(h -> h instanceof WebSocketExtensionEncoder);
      OutboundQueue outbound = new OutboundQueue(ctx.channel(), options.maxQueuedBytes(), compressed);
      WebSocketConnection connection = new WebSocketConnection(ctx.channel(), mount, openConnections, closingHandshake,
          outbound);
      pipeline.addLast("ws-closing", closingHandshake);
      pipeline.addLast("ws-idle", new WebSocketIdleTimer(options.idleTimeout().toMillis(), connection::idleTimedOut));
      pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(options.maxFrameSize()));
      pipeline.addLast("ws-outbound", outbound);
      pipeline.addLast("ws-inbound", new InboundFrames(connection, options.maxFrameSize(), compressed));
      pipeline.addLast("ws-errors", new WebSocketErrors(connection, mount.telemetry()));
      pipeline.remove(ctx.handler()); // the handler that handed the request over: HTTP is done here
      connection.open(accepted);
      ctx.channel().config().setAutoRead(true); // only now may client frames arrive
    });
  }

  private static boolean isUpgrade(FullHttpRequest request) {
    return "websocket".equalsIgnoreCase(request.headers().get(HttpHeaderNames.UPGRADE))
        && request.headers().containsValue(HttpHeaderNames.CONNECTION, "upgrade", true);
  }

  /** RFC 6455 §4.1: the key is 16 random bytes in base64. */
  private static boolean validKey(String key) {
    if (key == null) {
      return false;
    }
    try {
      return Base64.getDecoder().decode(key.trim()).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Answers {@code status} and closes; a 426 names the one version spoken (RFC 6455 §4.4). */
  private static void refuse(ChannelHandlerContext ctx, FullHttpRequest request, int status) {
    if (status == 426) {
      Responses.status(ctx, false, status, HttpHeaderNames.SEC_WEBSOCKET_VERSION.toString(), VERSION);
    } else {
      Responses.status(ctx, false, status);
    }
  }

  /**
   * permessage-deflate for a connection that may become a WebSocket on any compressing mount: the inflater stops
   * at {@code maxInflatedBytes} per frame (the largest {@code maxFrameSize} of those mounts), so a small compressed
   * frame cannot make the server hold a huge message; the connection then refuses it with 1009.
   */
  public static WebSocketServerCompressionHandler compressionHandler(int maxInflatedBytes) {
    return new WebSocketServerCompressionHandler(maxInflatedBytes);
  }

  /**
   * The inflater limit for {@link #compressionHandler}: the largest frame cap of the compressing mounts, plus
   * room for the inflater to finish the input after a message exactly at the cap (Netty's inflater asks for
   * spare room before it knows no more output will come). The connection checks the exact cap.
   */
  public static int maxInflatedBytes(java.util.List<SocketMount> mounts) {
    int largestCap = mounts.stream().filter(m -> m.options().compress()).mapToInt(m -> m.options().maxFrameSize()).max().orElse(0);
    return largestCap + INFLATE_SPARE;
  }

  private static final int INFLATE_SPARE = 64 * 1024;
}
