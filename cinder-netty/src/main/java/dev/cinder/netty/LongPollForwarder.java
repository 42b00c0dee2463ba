package dev.cinder.netty;

import dev.cinder.PubSub;
import io.netty.channel.ChannelHandlerContext;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the long-poll requests that reach this node for sessions held on another node to that node, and
 * keeps each until answered or timed out ({@link ForwardedRequest}), so no sticky sessions are needed.
 */
final class LongPollForwarder {
  private final PubSub pubSub;
  private final Set<ForwardedRequest> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  LongPollForwarder(PubSub pubSub) {
    this.pubSub = pubSub;
  }

  /** A poll: answered with the owner's messages, 204 after its window, or 410 if the owner is silent for 2 s. */
  void get(ChannelHandlerContext ctx, boolean keepAlive, LongPollSessions.Address owner, String token) {
    if (closed) {
      LongPollTransport.respond(ctx, keepAlive, LongPollTransport.status(204, token));
      return;
    }
    start(ForwardedRequest.Kind.GET, ctx, keepAlive, owner, token, Map.of());
  }

  /** A POST's body, decoded and dispatched by the owner, answered with its status (200, 400, 408 or 410). */
  void post(ChannelHandlerContext ctx, boolean keepAlive, LongPollSessions.Address owner, String body, boolean ndjson) {
    if (closed) {
      LongPollTransport.respond(ctx, keepAlive, Map.of("status", 408));
      return;
    }
    start(ForwardedRequest.Kind.POST, ctx, keepAlive, owner, null, Map.of("body", body, "ndjson", ndjson));
  }

  private void start(ForwardedRequest.Kind kind, ChannelHandlerContext ctx, boolean keepAlive,
      LongPollSessions.Address owner, String token, Map<String, Object> fields) {
    ForwardedRequest[] self = new ForwardedRequest[1];
    self[0] = new ForwardedRequest(kind, owner, token, ctx, keepAlive, pubSub, () -> pending.remove(self[0]));
    pending.add(self[0]);
    self[0].send(fields);
  }

  /** Requests awaiting their owner's answer. */
  int pending() {
    return pending.size();
  }

  /** This node stops: pending requests are dropped (their connections are about to close). */
  void close() {
    closed = true;
    pending.forEach(ForwardedRequest::abandon);
  }
}
