package dev.cinder;

/**
 * Topic-based publish/subscribe for one endpoint. Broadcasts reach subscribers on every node of a cluster
 * when a cluster adapter is configured; "local" variants stay on this node. Callable from any thread.
 */
public interface PubSub {
  /** A PubSub for a single node. */
  static PubSub local() {
    return new dev.cinder.pubsub.LocalPubSub();
  }

  /** A PubSub for a single node whose broadcasts are counted in {@code telemetry}. */
  static PubSub local(dev.cinder.telemetry.Telemetry telemetry) {
    return new dev.cinder.pubsub.LocalPubSub(telemetry);
  }

  /** Subscribes; the returned handle unsubscribes. A subscriber receives each broadcast once per subscription. */
  Subscription subscribe(String topic, Subscriber subscriber);

  void broadcast(String topic, String event, Object payload);

  /** Broadcasts to every subscriber of the topic except {@code from}. */
  void broadcastFrom(Subscriber from, String topic, String event, Object payload);

  /** Broadcasts to this node's subscribers only. */
  void localBroadcast(String topic, String event, Object payload);

  /** Broadcasts to the subscribers on one named node only (this node's name delivers locally). */
  void directBroadcast(String node, String topic, String event, Object payload);

  /** This node's name: the adapter's in a cluster, a generated one for a single node. */
  String nodeName();

  /** The number of local subscribers of a topic. */
  int subscriberCount(String topic);

  /** A subscription; closing it unsubscribes. */
  interface Subscription extends AutoCloseable {
    @Override
    void close();
  }
}
