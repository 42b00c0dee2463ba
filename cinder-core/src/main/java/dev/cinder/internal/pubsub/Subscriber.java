package dev.cinder.internal.pubsub;

/**
 * Receives broadcasts. Called on the broadcasting thread: return quickly and never block (hand slow work
 * to another thread or a channel's mailbox).
 */
@FunctionalInterface
public interface Subscriber {
  void deliver(Dispatch dispatch);

  /**
   * This node may have missed broadcasts of the topic that were recorded in its history elsewhere (its connection
   * to the other nodes broke). A subscriber that hands out positions makes its client recover; others need nothing.
   */
  default void historyLost() {}

  /**
   * A recorded broadcast this subscriber sent with {@code broadcastFrom}, so it is not delivered to it; a subscriber
   * that hands out positions still tells its client the position it passed.
   */
  default void skipped(Dispatch dispatch) {}
}
