package dev.cinder;

import java.util.function.Consumer;

/**
 * Topic-based publish/subscribe for one endpoint. Broadcasts reach subscribers on every node of a cluster
 * when a cluster adapter is configured; "local" variants stay on this node. Callable from any thread.
 *
 * <p>Create one with {@code new LocalPubSub(telemetry)} for a single node or as a {@code ClusterPubSub} (package
 * {@code dev.cinder.pubsub}) for a cluster; Cinder's channels run only on those two, so do not implement this
 * interface yourself.
 */
public interface PubSub {
  /**
   * Subscribes a listener from outside any channel; the returned handle unsubscribes. Called on the
   * broadcasting thread: return quickly and never block. A listener hears each broadcast once per subscription.
   */
  Subscription subscribe(String topic, Consumer<Broadcast> listener);

  /** Broadcasts to every subscriber of the topic, on every node. */
  void broadcast(String topic, String event, Object payload);

  /** Broadcasts to this node's subscribers only. */
  void localBroadcast(String topic, String event, Object payload);

  /** Broadcasts to the subscribers on one named node only (this node's name delivers locally). */
  void directBroadcast(String node, String topic, String event, Object payload);

  /** This node's name: the adapter's in a cluster, a generated one for a single node. */
  String nodeName();

  /** The number of local subscribers of a topic. */
  int subscriberCount(String topic);

  /** Whether broadcasts reach other nodes: true for a cluster PubSub, false for a single node's. */
  boolean spansNodes();

  /** A subscription; closing it unsubscribes. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
