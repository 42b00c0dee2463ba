package dev.cinder.internal.pubsub;

/**
 * Told when a topic gains its first local subscriber or loses its last: the fan-out's side of the public
 * {@code TopicListener}, with the same contract (late or repeated calls; read the subscriber count for the truth).
 */
public interface TopicWatcher {
  void topicAdded(String topic);

  void topicRemoved(String topic);
}
