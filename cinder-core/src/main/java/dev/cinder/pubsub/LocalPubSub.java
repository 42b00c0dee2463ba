package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.Dispatch;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Subscriber;
import dev.cinder.telemetry.Telemetry;
import java.util.Collections;
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
  private final Telemetry telemetry;
  private final String nodeName;
  private volatile TopicListener topicListener;

  public LocalPubSub() {
    this(new Telemetry());
  }

  public LocalPubSub(Telemetry telemetry) {
    this(telemetry, NodeNames.generate());
  }

  public LocalPubSub(Telemetry telemetry, String nodeName) {
    this.telemetry = telemetry;
    this.nodeName = nodeName;
  }

  @Override
  public String nodeName() {
    return nodeName;
  }

  @Override
  public void directBroadcast(String node, String topic, String event, Object payload) {
    if (node.equals(nodeName)) {
      localBroadcast(topic, event, payload);
    } else {
      log.debug("direct broadcast to unknown node {} dropped: this PubSub is single-node", node);
    }
  }

  /** The number of topics with at least one local subscriber. */
  public int topicCount() {
    return topics.size();
  }

  /** Sets the one listener told about topics gaining their first or losing their last subscriber. */
  public void topicListener(TopicListener listener) {
    this.topicListener = listener;
  }

  /** A live, read-only view of the topics with at least one local subscriber. */
  public Set<String> topics() {
    return Collections.unmodifiableSet(topics.keySet());
  }

  @Override
  public Subscription subscribe(String topic, Subscriber subscriber) {
    boolean[] created = new boolean[1];
    // The add happens inside compute: added outside, it could land in a set that a concurrent last
    // unsubscribe has just dropped from the map, and the subscriber would never hear anything.
    topics.compute(topic, (t, subscribers) -> {
      if (subscribers == null) {
        subscribers = ConcurrentHashMap.newKeySet();
        created[0] = true;
      }
      subscribers.add(subscriber);
      return subscribers;
    });
    TopicListener listener = topicListener;
    if (created[0] && listener != null) {
      notify(listener, topic, true);
    }
    return () -> unsubscribe(topic, subscriber);
  }

  private void unsubscribe(String topic, Subscriber subscriber) {
    // computeIfPresent makes "remove, then drop the empty topic" atomic against a concurrent subscribe.
    Set<Subscriber> left = topics.computeIfPresent(topic, (t, subscribers) -> {
      subscribers.remove(subscriber);
      return subscribers.isEmpty() ? null : subscribers;
    });
    TopicListener listener = topicListener;
    if (left == null && listener != null) {
      notify(listener, topic, false);
    }
  }

  private static void notify(TopicListener listener, String topic, boolean added) {
    try {
      if (added) {
        listener.topicAdded(topic);
      } else {
        listener.topicRemoved(topic);
      }
    } catch (RuntimeException e) {
      log.warn("topic listener failed on {}", topic, e);
    }
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
    telemetry.broadcast(broadcast.topic(), broadcast.event(), subscribers.size());
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
