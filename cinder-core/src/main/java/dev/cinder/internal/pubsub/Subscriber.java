package dev.cinder.internal.pubsub;

/**
 * Receives broadcasts. Called on the broadcasting thread: return quickly and never block (hand slow work
 * to another thread or a channel's mailbox).
 */
@FunctionalInterface
public interface Subscriber {
  void deliver(Dispatch dispatch);
}
