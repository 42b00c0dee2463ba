package dev.cinder.internal.pubsub;

import dev.cinder.PubSub;

/**
 * What the runtime needs from a {@link PubSub} beyond the application's view: subscribers that receive the
 * shared {@link Dispatch} (so a frame is encoded once per broadcast, not once per recipient) and broadcasts that
 * skip their sender. {@link LocalFanout} and {@link ClusterFanout} implement it behind the public
 * {@code LocalPubSub} and {@code ClusterPubSub}; {@link #of} finds it from the public object.
 */
public interface Fanout extends PubSub {
  /**
   * Subscribes to the shared dispatches of a topic; the returned handle unsubscribes. A subscriber receives each
   * broadcast once per subscription.
   */
  Subscription subscribeShared(String topic, Subscriber subscriber);

  /**
   * Runs {@code then} once broadcasts to {@code topic} from every node reach this node's subscribers: at once on
   * the calling thread for a single node, or in a cluster whose adapter already hears the topic; otherwise when the
   * adapter does (see {@code PubSubAdapter.whenListening}), on another thread.
   */
  default void whenListening(String topic, Runnable then) {
    then.run();
  }

  /** Broadcasts to every subscriber of the topic except {@code from}. */
  void broadcastFrom(Subscriber from, String topic, String event, Object payload);

  /** Which topics keep a history of their broadcasts, and where. */
  Histories histories();

  /** The fan-out behind an application's PubSub; fails for a PubSub Cinder did not make. */
  static Fanout of(PubSub pubSub) {
    if (pubSub instanceof Fanout fanout) {
      return fanout;
    }
    Fanout behind = FanoutAccess.find(pubSub);
    if (behind != null) {
      return behind;
    }
    throw new IllegalArgumentException("Cinder runs on its own PubSubs (LocalPubSub or ClusterPubSub), not on "
        + pubSub.getClass().getName());
  }
}
