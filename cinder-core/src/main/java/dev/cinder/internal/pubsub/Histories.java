package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.History;
import dev.cinder.Routes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Which topics keep a history — those of routes declared with one — and the store that keeps it. One per PubSub:
 * every broadcast that reaches all nodes passes here and is recorded when its topic's route keeps a history.
 * Topics of other routes cost one look at an empty list when no route keeps a history.
 */
public final class Histories {
  private volatile HistoryStore store;
  private volatile List<Routes.Route> routes = List.of(); // in declaration order, the first match decides
  private volatile boolean any;

  public Histories(HistoryStore store) {
    this.store = store;
  }

  /** Adds a mount's routes: their topics keep the history their route declares. */
  public synchronized void declare(Routes declared) {
    List<Routes.Route> all = new ArrayList<>(routes);
    all.addAll(declared.all());
    routes = List.copyOf(all);
    any = all.stream().anyMatch(route -> route.history() != null);
  }

  /** Keeps histories in {@code store} from now on (a cluster's shared store, set before any broadcast). */
  public void store(HistoryStore store) {
    this.store = store;
  }

  /** The history {@code topic} keeps, or null. */
  public History of(String topic) {
    if (!any) {
      return null;
    }
    for (Routes.Route route : routes) {
      if (route.matches(topic)) {
        return route.history();
      }
    }
    return null;
  }

  /**
   * Records a broadcast of a topic that keeps {@code history} and hands it, with its position, to {@code deliver}.
   * Binary payloads cannot be recorded: Phoenix's binary broadcast frame has no field for a position.
   */
  public void append(Broadcast broadcast, History history, Consumer<Dispatch> deliver) {
    if (broadcast.payload().isBinary()) {
      throw new IllegalArgumentException("topic " + broadcast.topic() + " keeps a history, and a binary payload "
          + "cannot carry its position: broadcast JSON there, or declare the route without a history");
    }
    store.append(broadcast, history, deliver);
  }

  /** Whether recorded broadcasts reach other nodes through the store itself ({@link HistoryStore#spansNodes()}). */
  public boolean storeSpansNodes() {
    return store.spansNodes();
  }

  /** What a client that rejoins {@code topic} at {@code since} missed; see {@link HistoryStore#recover}. */
  public CompletableFuture<Recovery> recover(String topic, History history, Position since) {
    return store.recover(topic, history, since);
  }
}
