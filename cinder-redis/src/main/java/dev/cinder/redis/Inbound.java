package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.LogSafe;
import dev.cinder.pubsub.LocalPubSub;
import io.lettuce.core.pubsub.RedisPubSubListener;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every message of this node's Redis subscriptions, on the one thread of the subscribing
 * connection (so order is kept), and hands other nodes' broadcasts for topics with local subscribers to
 * the local PubSub. Its own broadcasts, those directed at another node and garbage are dropped here;
 * garbage is counted and logged, and nothing thrown escapes into Lettuce.
 */
final class Inbound implements RedisPubSubListener<String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final String node;
  private final Consumer<Broadcast> deliver;
  private final LocalPubSub local;
  private final AtomicLong rejected = new AtomicLong();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  private long lastRejectLogNanos;
  private boolean loggedReject;

  /** {@code local} may be null: then every broadcast is delivered, wanted or not. */
  Inbound(String node, Consumer<Broadcast> deliver, LocalPubSub local) {
    this.node = node;
    this.deliver = deliver;
    this.local = local;
  }

  @Override
  public void message(String channel, byte[] message) {
    Envelope envelope;
    Broadcast broadcast;
    try {
      envelope = EnvelopeCodec.decode(message);
      if (envelope.origin().equals(node)
          || (envelope.target() != null && !envelope.target().equals(node))
          || (local != null && local.subscriberCount(envelope.topic()) == 0)) {
        return; // ours, someone else's, or nobody here listens: skip before parsing the payload
      }
      broadcast = envelope.broadcast();
    } catch (MalformedEnvelopeException e) {
      reject(channel, e.getMessage());
      return;
    } catch (RuntimeException e) {
      reject(channel, e.toString());
      return;
    }
    try {
      deliver.accept(broadcast);
    } catch (RuntimeException e) {
      log.warn("node {}: delivering a broadcast from Redis on {} failed", node, LogSafe.clip(broadcast.topic()), e);
    }
  }

  @Override
  public void message(String pattern, String channel, byte[] message) {
    message(channel, message);
  }

  @Override
  public void subscribed(String channel, long count) {
    confirmed.add(channel);
  }

  @Override
  public void unsubscribed(String channel, long count) {
    confirmed.remove(channel);
  }

  @Override
  public void psubscribed(String pattern, long count) {}

  @Override
  public void punsubscribed(String pattern, long count) {}

  /** Whether Redis has confirmed this connection's subscription to a channel. */
  boolean confirmed(String channel) {
    return confirmed.contains(channel);
  }

  /** The connection dropped: Redis forgot our subscriptions until they are confirmed again. */
  void disconnected() {
    confirmed.clear();
  }

  long rejected() {
    return rejected.get();
  }

  // Only the connection's thread calls this, so the plain fields need no lock.
  private void reject(String channel, String reason) {
    long count = rejected.incrementAndGet();
    long now = System.nanoTime();
    if (!loggedReject || now - lastRejectLogNanos > LOG_EVERY_NANOS) {
      loggedReject = true;
      lastRejectLogNanos = now;
      log.warn("node {}: ignored a message on {} that is not a Cinder envelope ({}); {} ignored so far",
          node, LogSafe.clip(channel), LogSafe.clip(reason), count);
    }
  }
}
