package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.History;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where topics' histories live: this node's memory ({@link MemoryHistory}), or a store a cluster shares. It gives
 * each recorded broadcast its position and hands it on for delivery.
 */
public interface HistoryStore {
  /**
   * Records a broadcast and hands it, with its position, to {@code deliver}; per topic, in position order, never two
   * at once. A store that cannot record it hands it on without a position.
   */
  void append(Broadcast broadcast, History history, Consumer<Dispatch> deliver);

  /**
   * The broadcasts of {@code topic} after {@code since} (null: a client with no position yet). Completes with an
   * {@link Recovery#UNAVAILABLE} failure, never exceptionally, when the store cannot be read.
   */
  CompletableFuture<Recovery> recover(String topic, History history, Position since);

  /**
   * Whether the store is shared by the nodes of a cluster and carries the broadcasts it records to all of them
   * (this one included, in position order); then the caller publishes them no further. A node's own store does not.
   */
  default boolean spansNodes() {
    return false;
  }
}
