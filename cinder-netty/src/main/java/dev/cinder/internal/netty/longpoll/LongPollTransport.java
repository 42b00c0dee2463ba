package dev.cinder.internal.netty.longpoll;

import dev.cinder.ConnectInfo;
import dev.cinder.http.HttpResponse;
import dev.cinder.internal.Json;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.netty.http.RequestInfo;
import dev.cinder.internal.netty.http.Responses;
import dev.cinder.internal.netty.longpoll.forward.LongPollForwarder;
import dev.cinder.internal.netty.longpoll.forward.SessionAddress;
import dev.cinder.internal.socket.SocketMount;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The long-poll transport at {@code <mount>/longpoll}: GET opens a session (answering 410 with its
 * token) or polls it, POST delivers ndjson batches, OPTIONS answers CORS preflights. Every JSON answer is
 * HTTP 200 with the logical status in the body, as the official client expects. A connect and a POST's dispatch
 * run on {@code blocking}.
 */
public final class LongPollTransport {
  private static final Logger log = LoggerFactory.getLogger(LongPollTransport.class);

  private LongPollTransport() {}

  /** Answers {@code request}, a whole request for {@code mount}'s long-poll path. */
  public static void handle(ChannelHandlerContext ctx, FullHttpRequest request, SocketMount mount, Map<String, List<String>> query,
      LongPollSessions sessions, Executor blocking) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpMethod method = request.method();
    if (!method.equals(HttpMethod.GET) && !method.equals(HttpMethod.POST) && !method.equals(HttpMethod.OPTIONS)) {
      Responses.status(ctx, false, 400);
      return;
    }
    String origin = request.headers().get(HttpHeaderNames.ORIGIN);
    if (!mount.options().checkOrigin().allows(origin)) {
      log.info("refused long-poll from origin {}: not allowed by check_origin", LogSafe.clip(origin));
      respond(ctx, keepAlive, Map.of("status", 403));
      return;
    }
    if (method.equals(HttpMethod.OPTIONS)) {
      preflight(ctx, keepAlive, request);
      return;
    }
    String token = sessionToken(request, query);
    SessionAddress address = sessions.address(token);
    if (address != null && sessions.elsewhere(address)) {
      forward(ctx, keepAlive, request, address, token, sessions.forwarder());
      return;
    }
    LongPollSession session = address == null ? null : sessions.local(address);
    if (method.equals(HttpMethod.POST)) {
      if (session == null) {
        respond(ctx, keepAlive, Map.of("status", 410));
      } else {
        post(ctx, keepAlive, request, session, blocking);
      }
    } else if (session != null) {
      session.poll(ctx, keepAlive);
    } else if (address != null) {
      // Our token, but its session ended: the client must reconnect (it sees "session gone").
      respond(ctx, keepAlive, status(410, token));
    } else {
      open(ctx, keepAlive, request, mount, query, sessions, blocking);
    }
  }

  /** The token names a session held on another node of the cluster: that node answers, through the PubSub. */
  private static void forward(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request,
      SessionAddress owner, String token, LongPollForwarder forwarder) {
    if (request.method().equals(HttpMethod.POST)) {
      forwarder.post(new ForwardingClient(ctx, keepAlive, null), owner, request.content().toString(StandardCharsets.UTF_8),
          ndjson(request));
    } else {
      forwarder.get(new ForwardingClient(ctx, keepAlive, token), owner);
    }
  }

  /** The session token: the header wins over the query; the last {@code token} param wins over earlier ones. */
  private static String sessionToken(FullHttpRequest request, Map<String, List<String>> query) {
    String header = request.headers().get("x-phoenix-longpoll-token");
    if (header != null && !header.isEmpty()) {
      return header;
    }
    List<String> values = query.get("token");
    return values == null || values.isEmpty() ? null : values.getLast();
  }

  private static void open(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request, SocketMount mount,
      Map<String, List<String>> query, LongPollSessions sessions, Executor blocking) {
    if (sessions.draining()) {
      refuseWhileDraining(ctx);
      return;
    }
    Map<String, String> params = new LinkedHashMap<>();
    query.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.getFirst()));
    ConnectInfo info = RequestInfo.connectInfo(ctx, request, request.headers().get("x-phoenix-authtoken"), "longpoll");
    blocking.execute(() -> {
      Optional<SocketMount.Accepted> accepted = mount.connect(params, info);
      if (accepted.isEmpty()) {
        respond(ctx, keepAlive, Map.of("status", 403));
        return;
      }
      LongPollSession session = sessions.open(accepted.get(), info.peer());
      if (session == null && sessions.draining()) {
        refuseWhileDraining(ctx);
        return;
      }
      if (session == null) {
        // Too many sessions for this socket id, address or mount: refused like a connect, which the official
        // client answers by closing with 1008 ("forbidden") and reconnecting with its usual backoff.
        respond(ctx, keepAlive, Map.of("status", 403, "error", "too many long-poll sessions"));
        return;
      }
      respond(ctx, keepAlive, status(410, session.token));
    });
  }

  /**
   * This node is shutting down: 503 without a body, and the connection closes. The official client takes the
   * answer for a failed poll and reconnects with its backoff, through the load balancer to another node.
   */
  private static void refuseWhileDraining(ChannelHandlerContext ctx) {
    Responses.status(ctx, false, 503);
  }

  private static void post(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request, LongPollSession session,
      Executor blocking) {
    String body = request.content().toString(StandardCharsets.UTF_8);
    LongPollPost.deliver(session, body, ndjson(request), blocking, outcome -> {
      if (outcome.status() == 400) {
        Responses.send(ctx, keepAlive, HttpResponse.json(400, Map.of("status", 400, "error", outcome.error()))
            .withHeader("access-control-allow-origin", "*"));
      } else {
        respond(ctx, keepAlive, Map.of("status", outcome.status()));
      }
    });
  }

  /** Only exactly {@code application/x-ndjson} splits the body into lines. */
  private static boolean ndjson(FullHttpRequest request) {
    return LongPollPost.NDJSON.equals(request.headers().get(HttpHeaderNames.CONTENT_TYPE));
  }

  private static void preflight(ChannelHandlerContext ctx, boolean keepAlive, FullHttpRequest request) {
    String requested = request.headers().get(HttpHeaderNames.ACCESS_CONTROL_REQUEST_HEADERS, "");
    Responses.send(ctx, keepAlive, new HttpResponse(200, null, new byte[0], Map.of(
        "access-control-allow-origin", "*",
        "access-control-allow-headers", requested,
        "access-control-allow-methods", "get, post, options",
        "access-control-max-age", "3600")));
  }

  static Map<String, Object> status(int status, String token) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", status);
    body.put("token", token);
    body.put("messages", List.of());
    return body;
  }

  static Map<String, Object> messages(String token, List<String> messages) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", 200);
    body.put("token", token);
    body.put("messages", messages);
    return body;
  }

  /** A JSON answer with HTTP 200 and the headers phoenix.js expects (CORS, no-store); safe from any thread. */
  static ChannelFuture respond(ChannelHandlerContext ctx, boolean keepAlive, Map<String, ?> body) {
    return Responses.send(ctx, keepAlive, new HttpResponse(200, HttpResponse.JSON, Json.MAPPER.writeValueAsBytes(body), Map.of(
        "access-control-allow-origin", "*",
        "cache-control", "no-store")));
  }
}
