package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.History;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.LogSafe;
import dev.cinder.telemetry.Telemetry;
import java.util.Collections;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fan-out of one node's PubSub ({@code LocalPubSub} is its public face): topic → subscribers in a
 * {@link ConcurrentHashMap} (striped, so broadcasts and subscriptions on different topics do not contend).
 * A topic with one subscriber holds just its {@link Entry}; with more, a concurrent set of them, so that a join or
 * leave costs O(1) however many subscribers a topic has. Most topics have one subscriber (every socket's own
 * socket-id topic), and a set for each would cost about 250 bytes per socket for nothing.
 *
 * <p>Broadcasts meant for every node ({@link #broadcast}, {@link #broadcastFrom}, and those another node sent)
 * pass through the {@link Histories} first, which record them when their topic keeps a history; local and direct
 * broadcasts do not (presence diffs, for one, are each node's own view).
 */
public final class LocalFanout implements Fanout {
  private static final Logger log = LoggerFactory.getLogger(LocalFanout.class);

  // topic → its one Entry, or a Set<Entry> of two or more; only ever changed inside compute for its topic.
  private final ConcurrentHashMap<String, Object> topics = new ConcurrentHashMap<>();

  /**
   * One subscription. Equal only to itself, so a subscriber subscribed twice is delivered to twice and closing
   * one of its subscriptions leaves the other in place (as in Phoenix.PubSub).
   */
  private final class Entry implements Subscription {
    private final String topic;
    private final Subscriber subscriber;

    Entry(String topic, Subscriber subscriber) {
      this.topic = topic;
      this.subscriber = subscriber;
    }

    @Override
    public void close() {
      unsubscribe(this);
    }
  }
  private final Telemetry telemetry;
  private final String nodeName;
  private final Histories histories = new Histories(new MemoryHistory());
  private volatile TopicWatcher topicWatcher;

  public LocalFanout(Telemetry telemetry, String nodeName) {
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
      log.debug("direct broadcast to unknown node {} dropped: this PubSub is single-node", LogSafe.clip(node));
    }
  }

  @Override
  public Histories histories() {
    return histories;
  }

  /** The number of topics with at least one local subscriber. */
  public int topicCount() {
    return topics.size();
  }

  /** Sets the one watcher told about topics gaining their first or losing their last subscriber. */
  public void topicWatcher(TopicWatcher watcher) {
    this.topicWatcher = watcher;
  }

  /** A live, read-only view of the topics with at least one local subscriber. */
  public Set<String> topics() {
    return Collections.unmodifiableSet(topics.keySet());
  }

  @Override
  public Subscription subscribe(String topic, Consumer<Broadcast> listener) {
    return subscribeShared(topic, dispatch -> listener.accept(dispatch.broadcast()));
  }

  @Override
  public boolean spansNodes() {
    return false;
  }

  @Override
  public Subscription subscribeShared(String topic, Subscriber subscriber) {
    Entry entry = new Entry(topic, subscriber);
    boolean[] created = new boolean[1];
    // Adding inside compute, not after computeIfAbsent: otherwise a concurrent last unsubscribe can drop the
    // topic's set between the two steps, and the subscriber lands in a set no broadcast will ever see.
    topics.compute(topic, (t, subscribers) -> {
      if (subscribers == null) {
        created[0] = true;
        return entry;
      }
      if (subscribers instanceof Entry only) {
        Set<Entry> set = ConcurrentHashMap.newKeySet();
        set.add(only);
        set.add(entry);
        return set;
      }
      setOf(subscribers).add(entry);
      return subscribers;
    });
    TopicWatcher watcher = topicWatcher;
    if (created[0] && watcher != null) {
      notify(watcher, topic, true);
    }
    return entry;
  }

  private void unsubscribe(Entry entry) {
    // computeIfPresent makes "remove, then drop the empty topic" atomic against a concurrent subscribe.
    boolean[] dropped = new boolean[1];
    topics.computeIfPresent(entry.topic, (t, subscribers) -> {
      if (subscribers instanceof Entry only) {
        dropped[0] = only == entry;
        return dropped[0] ? null : only;
      }
      Set<Entry> set = setOf(subscribers);
      set.remove(entry);
      if (set.size() == 1) {
        return set.iterator().next(); // back to one: a broadcast iterating the old set still sees the same entry
      }
      dropped[0] = set.isEmpty();
      return dropped[0] ? null : set;
    });
    TopicWatcher watcher = topicWatcher;
    if (dropped[0] && watcher != null) {
      notify(watcher, entry.topic, false);
    }
  }

  private static void notify(TopicWatcher watcher, String topic, boolean added) {
    try {
      if (added) {
        watcher.topicAdded(topic);
      } else {
        watcher.topicRemoved(topic);
      }
    } catch (RuntimeException e) {
      log.warn("topic listener failed on {}", LogSafe.clip(topic), e);
    }
  }

  @Override
  public void broadcast(String topic, String event, Object payload) {
    record(new Broadcast(topic, event, Payload.of(payload)), null);
  }

  @Override
  public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
    record(new Broadcast(topic, event, Payload.of(payload)), from);
  }

  /**
   * Delivers a broadcast meant for every node to this node's subscribers, skipping {@code from}: recorded first, and
   * delivered with its position, when its topic keeps a history. Returns whether the history's store carries it to
   * the other nodes as well (a store shared by the cluster); if not, that is the caller's part.
   */
  public boolean record(Broadcast broadcast, Subscriber from) {
    History history = histories.of(broadcast.topic());
    if (history == null) {
      dispatch(new Dispatch(broadcast), from); // most topics: nothing more than before
      return false;
    }
    histories.append(broadcast, history, dispatch -> dispatch(dispatch, from));
    return histories.storeSpansNodes();
  }

  /**
   * Delivers another node's broadcast here: recorded in this node's own history when its topic keeps one in memory.
   * A store shared by the cluster delivers what it recorded by itself, so what arrives here is delivered as it is.
   */
  public void receive(Broadcast broadcast) {
    if (histories.storeSpansNodes()) {
      dispatch(new Dispatch(broadcast), null);
    } else {
      record(broadcast, null);
    }
  }

  @Override
  public void localBroadcast(String topic, String event, Object payload) {
    dispatch(new Broadcast(topic, event, Payload.of(payload)), null);
  }

  /**
   * This node may have missed broadcasts the other nodes recorded in their shared history (its connection to them
   * broke): every topic that keeps a history tells its subscribers, so that clients holding positions rejoin and
   * recover.
   */
  public void historyLost() {
    topics.forEach((topic, subscribers) -> {
      if (histories.of(topic) == null) {
        return;
      }
      if (subscribers instanceof Entry only) {
        only.subscriber.historyLost();
      } else {
        setOf(subscribers).forEach(entry -> entry.subscriber.historyLost());
      }
    });
  }

  @Override
  public int subscriberCount(String topic) {
    Object subscribers = topics.get(topic);
    return subscribers == null ? 0 : subscribers instanceof Entry ? 1 : setOf(subscribers).size();
  }

  /** Delivers to this node's subscribers of the broadcast's topic, skipping {@code from}; records nothing. */
  public void dispatch(Broadcast broadcast, Subscriber from) {
    dispatch(new Dispatch(broadcast), from);
  }

  /** Delivers a dispatch to this node's subscribers of its topic, skipping {@code from}. */
  public void dispatch(Dispatch dispatch, Subscriber from) {
    Broadcast broadcast = dispatch.broadcast();
    Object subscribers = topics.get(broadcast.topic());
    if (subscribers == null) {
      return;
    }
    if (subscribers instanceof Entry only) {
      telemetry.broadcast(broadcast.topic(), broadcast.event(), 1);
      if (only.subscriber != from) {
        deliver(only, dispatch);
      } else if (dispatch.position() != null) {
        from.skipped(dispatch);
      }
      return;
    }
    Set<Entry> entries = setOf(subscribers);
    telemetry.broadcast(broadcast.topic(), broadcast.event(), entries.size());
    for (Entry entry : entries) {
      if (entry.subscriber != from) {
        deliver(entry, dispatch);
      } else if (dispatch.position() != null) {
        from.skipped(dispatch);
      }
    }
  }

  private static void deliver(Entry entry, Dispatch dispatch) {
    try {
      entry.subscriber.deliver(dispatch);
    } catch (RuntimeException e) {
      // One failing subscriber must not cost the others their delivery.
      var broadcast = dispatch.broadcast();
      log.warn("subscriber of {} failed on {}", LogSafe.clip(broadcast.topic()), LogSafe.clip(broadcast.event()), e);
    }
  }

  @SuppressWarnings("unchecked") // a topic's value is an Entry or a Set<Entry>, nothing else
  private static Set<Entry> setOf(Object subscribers) {
    return (Set<Entry>) subscribers;
  }
}
