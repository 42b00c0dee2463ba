package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.Dispatch;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Subscriber;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The PubSub of one node: topic → subscribers in a {@link ConcurrentHashMap} (striped, so broadcasts and
 * subscriptions on different topics do not contend), each topic's subscribers in a concurrent set so that a
 * join or leave costs O(1) however many subscribers a topic has.
 */
public final class LocalPubSub implements PubSub {
  private static final Logger log = LoggerFactory.getLogger(LocalPubSub.class);

  private final ConcurrentHashMap<String, Set<Subscriber>> topics = new ConcurrentHashMap<>();

  @Override
  public Subscription subscribe(String topic, Subscriber subscriber) {
    // Adding inside compute, not after computeIfAbsent: otherwise a concurrent last unsubscribe can drop the
    // topic's set between the two steps, and the subscriber lands in a set no broadcast will ever see.
    topics.compute(topic, (t, subscribers) -> {
      Set<Subscriber> set = subscribers != null ? subscribers : ConcurrentHashMap.newKeySet();
      set.add(subscriber);
      return set;
    });
    return () -> unsubscribe(topic, subscriber);
  }

  private void unsubscribe(String topic, Subscriber subscriber) {
    // computeIfPresent makes "remove, then drop the empty topic" atomic against a concurrent subscribe.
    topics.computeIfPresent(topic, (t, subscribers) -> {
      subscribers.remove(subscriber);
      return subscribers.isEmpty() ? null : subscribers;
    });
  }

  @Override
  public void broadcast(String topic, String event, Object payload) {
    dispatch(new Broadcast(topic, event, Payload.of(payload)), null);
  }

  @Override
  public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
    dispatch(new Broadcast(topic, event, Payload.of(payload)), from);
  }

  @Override
  public void localBroadcast(String topic, String event, Object payload) {
    dispatch(new Broadcast(topic, event, Payload.of(payload)), null);
  }

  @Override
  public int subscriberCount(String topic) {
    Set<Subscriber> subscribers = topics.get(topic);
    return subscribers == null ? 0 : subscribers.size();
  }

  /** Delivers to this node's subscribers of the broadcast's topic, skipping {@code from}. */
  public void dispatch(Broadcast broadcast, Subscriber from) {
    Set<Subscriber> subscribers = topics.get(broadcast.topic());
    if (subscribers == null) {
      return;
    }
    Dispatch dispatch = new Dispatch(broadcast);
    for (Subscriber subscriber : subscribers) {
      if (subscriber == from) {
        continue;
      }
      try {
        subscriber.deliver(dispatch);
      } catch (RuntimeException e) {
        // One failing subscriber must not cost the others their delivery.
        log.warn("subscriber of {} failed on {}", broadcast.topic(), broadcast.event(), e);
      }
    }
  }
}
