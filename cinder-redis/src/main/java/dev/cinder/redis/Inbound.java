package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.LocalFanout;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TraceScope;
import dev.cinder.telemetry.Tracing;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.lettuce.core.pubsub.RedisPubSubListener;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives every message of this node's Redis subscriptions, on the one thread of the subscribing
 * connection (so order is kept; on a Redis Cluster, one connection and thread per shard, so order is kept per
 * channel), and hands other nodes' broadcasts for topics with local subscribers to the local PubSub. Its own
 * broadcasts, those directed at another node and garbage are dropped here; garbage is counted and logged, and
 * nothing thrown escapes into Lettuce.
 *
 * <p>On a Redis Cluster it also remembers which cluster node confirmed each sharded subscription, and takes a
 * channel's messages from that node only: when a shard's subscription moves to a new master (a failover) while the
 * old one still delivers (it came back as a replica, say), nothing arrives twice.
 */
final class Inbound implements RedisPubSubListener<String, byte[]>, RedisClusterPubSubListener<String, byte[]> {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final long LOG_EVERY_NANOS = 60_000_000_000L;

  private final String node;
  private final Consumer<Broadcast> deliver;
  private final LocalPubSub local;
  private final Telemetry telemetry; // null: not traced
  private final AtomicLong rejected = new AtomicLong();
  private final Set<String> confirmed = ConcurrentHashMap.newKeySet();
  // Redis Cluster: the node id that confirmed each sharded subscription.
  private final Map<String, String> confirmedBy = new ConcurrentHashMap<>();
  private volatile Consumer<String> unsubscribedByRedis = channel -> {};
  private volatile Consumer<String> onConfirmed = channel -> {};
  private volatile RedisHistory history;
  private volatile LocalFanout fanout;
  private long lastRejectLogNanos;
  private boolean loggedReject;

  /**
   * {@code local} may be null: then every broadcast is delivered, wanted or not. A broadcast that carries a trace is
   * delivered in a trace scope when {@code telemetry} (may be null) has a tracing.
   */
  Inbound(String node, Consumer<Broadcast> deliver, LocalPubSub local, Telemetry telemetry) {
    this.node = node;
    this.telemetry = telemetry;
    this.deliver = deliver;
    this.local = local;
  }

  /** Recorded broadcasts (in a history in Redis) from now on go to {@code fanout}, this node's own to {@code history}. */
  void recordedTo(RedisHistory history, LocalFanout fanout) {
    this.history = history;
    this.fanout = fanout;
  }

  @Override
  public void message(String channel, byte[] message) {
    Envelope envelope;
    Broadcast broadcast;
    try {
      envelope = EnvelopeCodec.decode(message);
      if (envelope.position() != null) {
        recorded(envelope);
        return;
      }
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
    TraceScope scope = traceScope(envelope);
    try {
      deliver.accept(broadcast);
    } catch (RuntimeException e) {
      log.warn("node {}: delivering a broadcast from Redis on {} failed", node, LogSafe.clip(broadcast.topic()), e);
    } finally {
      if (scope != null) {
        scope.close();
      }
    }
  }

  /** A scope for delivering a broadcast that carried a trace, or null (no trace, or no tracing here). */
  private TraceScope traceScope(Envelope envelope) {
    if (envelope.trace() == null || telemetry == null) {
      return null;
    }
    Tracing tracing = telemetry.tracing();
    return tracing == null ? null
        : tracing.incomingBroadcast(envelope.trace(), envelope.origin(), envelope.topic(), envelope.event());
  }

  /**
   * A broadcast recorded in its topic's history, with its position: every node delivers it as it comes, this one
   * included (its own are handed back to the history, which knows whom to skip), so all deliver in Redis's order.
   */
  private void recorded(Envelope envelope) {
    RedisHistory history = this.history;
    LocalFanout fanout = this.fanout;
    if (envelope.origin().equals(node)) {
      if (history != null) {
        history.arrived(envelope);
      }
      return;
    }
    if (envelope.target() != null || (local != null && local.subscriberCount(envelope.topic()) == 0)) {
      return;
    }
    Broadcast broadcast = envelope.broadcast();
    TraceScope scope = traceScope(envelope);
    try {
      if (fanout != null) {
        fanout.dispatch(new Dispatch(broadcast, envelope.position()), null);
      } else {
        deliver.accept(broadcast);
      }
    } catch (RuntimeException e) {
      log.warn("node {}: delivering a broadcast from Redis on {} failed", node, LogSafe.clip(broadcast.topic()), e);
    } finally {
      if (scope != null) {
        scope.close();
      }
    }
  }

  @Override
  public void message(String pattern, String channel, byte[] message) {
    message(channel, message);
  }

  @Override
  public void subscribed(String channel, long count) {
    confirmed.add(channel);
    onConfirmed.accept(channel);
  }

  @Override
  public void unsubscribed(String channel, long count) {
    confirmed.remove(channel);
  }

  @Override
  public void psubscribed(String pattern, long count) {}

  @Override
  public void punsubscribed(String pattern, long count) {}

  // Redis Cluster: sharded pub/sub, with the node each notice came from.

  /** Called with a channel once Redis confirmed this node's subscription to it (on a Redis Cluster, by a node). */
  void onConfirmed(Consumer<String> callback) {
    this.onConfirmed = callback;
  }

  /** Called with a channel a cluster node unsubscribed this node from by itself (its slot moved away). */
  void onUnsubscribedByRedis(Consumer<String> callback) {
    this.unsubscribedByRedis = callback;
  }

  @Override
  public void smessage(RedisClusterNode from, String channel, byte[] message) {
    if (nodeId(from).equals(confirmedBy.get(channel))) {
      message(channel, message);
    }
  }

  @Override
  public void ssubscribed(RedisClusterNode by, String channel, long count) {
    confirmedBy.put(channel, nodeId(by));
    onConfirmed.accept(channel);
  }

  @Override
  public void sunsubscribed(RedisClusterNode by, String channel, long count) {
    if (confirmedBy.remove(channel, nodeId(by))) {
      unsubscribedByRedis.accept(channel);
    }
  }

  /** The id of the cluster node that confirmed this channel's sharded subscription, or null. */
  String confirmedBy(String channel) {
    return confirmedBy.get(channel);
  }

  private static String nodeId(RedisClusterNode node) {
    return node == null || node.getNodeId() == null ? "?" : node.getNodeId();
  }

  @Override
  public void message(RedisClusterNode from, String channel, byte[] message) {}

  @Override
  public void message(RedisClusterNode from, String pattern, String channel, byte[] message) {}

  @Override
  public void subscribed(RedisClusterNode by, String channel, long count) {}

  @Override
  public void psubscribed(RedisClusterNode by, String pattern, long count) {}

  @Override
  public void unsubscribed(RedisClusterNode by, String channel, long count) {}

  @Override
  public void punsubscribed(RedisClusterNode by, String pattern, long count) {}

  /** Whether Redis has confirmed this connection's subscription to a channel. */
  boolean confirmed(String channel) {
    return confirmed.contains(channel);
  }

  /** The connection dropped: Redis forgot our subscriptions until they are confirmed again. */
  void disconnected() {
    confirmed.clear();
    historyLost();
  }

  /**
   * Broadcasts other nodes recorded while a subscription was down will not come: this node's own still awaited are
   * delivered, and channels whose clients hold positions rejoin and recover the rest.
   */
  void historyLost() {
    RedisHistory history = this.history;
    LocalFanout fanout = this.fanout;
    if (history != null && fanout != null) {
      history.subscriptionLost();
      log.info("node {}: a subscription to Redis was lost; channels whose clients hold positions in a history rejoin",
          node);
      fanout.historyLost();
    }
  }

  long rejected() {
    return rejected.get();
  }

  // Rare, and on a Redis Cluster called from one thread per shard: the lock keeps the log's rate limit simple.
  private synchronized void reject(String channel, String reason) {
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
