package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Subscriber;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A subscriber that records every broadcast it receives, in arrival order. */
final class Inbox implements Subscriber {
  private final List<Broadcast> received = new CopyOnWriteArrayList<>();
  private final List<Dispatch> dispatches = new CopyOnWriteArrayList<>();

  @Override
  public void deliver(Dispatch dispatch) {
    received.add(dispatch.broadcast());
    dispatches.add(dispatch);
  }

  /** Waits until {@code count} dispatches came, and returns them (with their positions, if recorded). */
  List<Dispatch> await(int count) {
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> dispatches.size() >= count);
    return List.copyOf(dispatches);
  }

  List<Broadcast> received() {
    return received;
  }

  List<String> events() {
    return received.stream().map(Broadcast::event).toList();
  }

  /** The events, without the markers of a {@link ClusterFence}. */
  List<String> eventsBeforeFence() {
    return events().stream().filter(event -> !event.startsWith(ClusterFence.PREFIX)).toList();
  }

  long count(String event) {
    return received.stream().filter(b -> b.event().equals(event)).count();
  }
}
