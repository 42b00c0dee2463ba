package dev.cinder.internal.netty.longpoll.forward;

import dev.cinder.PubSub;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sends the long-poll requests that reach this node for sessions held on another node to that node, and
 * keeps each until answered or timed out ({@link ForwardedRequest}), so no sticky sessions are needed.
 */
public final class LongPollForwarder {
  private final PubSub pubSub;
  private final Set<ForwardedRequest> pending = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  public LongPollForwarder(PubSub pubSub) {
    this.pubSub = pubSub;
  }

  /** A poll: answered with the owner's messages, 204 after its window, or 410 if the owner is silent for 2 s. */
  public void get(AskingClient client, SessionAddress owner) {
    if (closed) {
      client.status(204);
      return;
    }
    start(ForwardedRequest.Kind.GET, client, owner, Map.of());
  }

  /** A POST's body, decoded and dispatched by the owner, answered with its status (200, 400, 408 or 410). */
  public void post(AskingClient client, SessionAddress owner, String body, boolean ndjson) {
    if (closed) {
      client.status(408);
      return;
    }
    start(ForwardedRequest.Kind.POST, client, owner, Map.of("body", body, "ndjson", ndjson));
  }

  private void start(ForwardedRequest.Kind kind, AskingClient client, SessionAddress owner, Map<String, Object> fields) {
    ForwardedRequest[] self = new ForwardedRequest[1];
    self[0] = new ForwardedRequest(kind, owner, client, pubSub, () -> pending.remove(self[0]));
    pending.add(self[0]);
    self[0].send(fields);
  }

  /** Requests awaiting their owner's answer. */
  public int pending() {
    return pending.size();
  }

  /** This node stops: pending requests are dropped (their connections are about to close). */
  public void close() {
    closed = true;
    pending.forEach(ForwardedRequest::abandon);
  }
}
