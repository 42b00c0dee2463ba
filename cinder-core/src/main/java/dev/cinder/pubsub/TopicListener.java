package dev.cinder.pubsub;

/**
 * Told when a topic gains its first local subscriber or loses its last, so that a cluster adapter can
 * subscribe to that topic's traffic only while someone here wants it. Called on the subscribing thread,
 * after the change and outside any lock: calls for one topic may arrive late or twice, so a listener
 * should read {@link LocalPubSub#subscriberCount} for the truth rather than count calls. Return quickly.
 */
public interface TopicListener {
  void topicAdded(String topic);

  void topicRemoved(String topic);
}
