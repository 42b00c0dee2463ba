package dev.cinder.redis;

import dev.cinder.internal.LogSafe;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.pubsub.TopicListener;
import io.lettuce.core.resource.Delay;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node subscribed to a topic's Redis channel exactly while the topic has local subscribers
 * (the {@link ChannelMapping#PER_TOPIC} mapping). Notices only say "look at this topic"; the truth is
 * read from the local PubSub, so notices that arrive late, twice or out of order do no harm. One caller
 * at a time drains the queue and sends its changes as a few SUBSCRIBEs and UNSUBSCRIBEs, without waiting
 * for Redis: the subscribing connection keeps commands sent while disconnected and resubscribes after a
 * reconnect. A SUBSCRIBE that fails (it timed out, say) is tried again after a wait from the same
 * back-off as the reconnects, growing while failures follow one another.
 */
final class TopicSubscriptions implements TopicListener {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final int MAX_CHANNELS_PER_COMMAND = 10_000;

  private final LocalPubSub local;
  private final ChannelNames names;
  private final ChannelCommands commands;
  private final ConcurrentLinkedQueue<String> pending = new ConcurrentLinkedQueue<>();
  private final AtomicInteger work = new AtomicInteger();
  // Changed by the one draining thread, and by a failed SUBSCRIBE taking its topics out.
  private final Set<String> subscribed = ConcurrentHashMap.newKeySet();
  // Topics whose SUBSCRIBE failed: Redis may have carried it out anyway (a timeout), so a topic found unwanted
  // here is unsubscribed all the same.
  private final Set<String> unsure = ConcurrentHashMap.newKeySet();
  private final Delay retryDelay;
  private final ScheduledExecutorService retries;
  // SUBSCRIBEs failed since the last one that succeeded: the attempt number for the retry's delay.
  private final AtomicLong failuresInARow = new AtomicLong();
  private volatile boolean stopped;

  TopicSubscriptions(LocalPubSub local, ChannelNames names, ChannelCommands commands,
      Delay retryDelay, ScheduledExecutorService retries) {
    this.local = local;
    this.names = names;
    this.commands = commands;
    this.retryDelay = retryDelay;
    this.retries = retries;
  }

  /** Subscribes to the topics that already have local subscribers, then follows changes. */
  void start() {
    local.topicListener(this);
    local.topics().forEach(this::topicAdded);
  }

  /** Looks at every local topic again: after a reconnect, in case a subscription was lost on the way. */
  void resync() {
    local.topics().forEach(this::changed);
  }

  /**
   * Subscribes again the wanted topics that {@code lost} says Redis no longer carries to this node, even those
   * this class believes subscribed: on a Redis Cluster after a shard's failover (its subscriptions died with the
   * old master) or after Redis moved a slot away and unsubscribed its channels. Idempotent in Redis. Returns how
   * many topics it sends again.
   */
  int resubscribe(Predicate<String> lost) {
    int count = 0;
    for (String topic : local.topics()) {
      if (lost.test(topic)) {
        unsure.add(topic);
        changed(topic);
        count++;
      }
    }
    return count;
  }

  /** {@link #resubscribe(Predicate)} for one topic, without looking at the others: 1 if it is wanted, else 0. */
  int resubscribe(String topic) {
    if (local.subscriberCount(topic) == 0) {
      return 0;
    }
    unsure.add(topic);
    changed(topic);
    return 1;
  }

  void stop() {
    stopped = true;
    local.topicListener(null);
  }

  @Override
  public void topicAdded(String topic) {
    changed(topic);
  }

  @Override
  public void topicRemoved(String topic) {
    changed(topic);
  }

  private void changed(String topic) {
    pending.add(topic);
    if (work.getAndIncrement() == 0) {
      drain();
    }
  }

  private void drain() {
    int missed = 1;
    do {
      Set<String> seen = new HashSet<>();
      Set<String> subscribe = new HashSet<>();
      Set<String> unsubscribe = new HashSet<>();
      for (String topic; (topic = pending.poll()) != null; ) {
        if (!seen.add(topic)) {
          continue;
        }
        boolean wanted = local.subscriberCount(topic) > 0;
        boolean wasUnsure = unsure.remove(topic);
        if (wanted && (subscribed.add(topic) || wasUnsure)) {
          subscribe.add(names.topic(topic));
        } else if (!wanted && (subscribed.remove(topic) || wasUnsure)) {
          unsubscribe.add(names.topic(topic));
        }
      }
      send(subscribe, unsubscribe);
      missed = work.addAndGet(-missed);
    } while (missed != 0);
  }

  private void send(Set<String> subscribe, Set<String> unsubscribe) {
    for (List<String> chunk : chunks(subscribe)) {
      try {
        commands.subscribe(chunk).whenComplete((ok, e) -> {
          if (e == null) {
            failuresInARow.set(0);
          } else {
            subscribeFailed(chunk, e);
          }
        });
      } catch (RuntimeException e) {
        subscribeFailed(chunk, e);
      }
    }
    for (List<String> chunk : chunks(unsubscribe)) {
      try {
        commands.unsubscribe(chunk).exceptionally(e -> failed("unsubscribe", chunk.size(), e));
      } catch (RuntimeException e) {
        failed("unsubscribe", chunk.size(), e);
      }
    }
  }

  // A node with a million topics must not send them as one command of tens of megabytes.
  private static List<List<String>> chunks(Set<String> channels) {
    List<List<String>> chunks = new ArrayList<>();
    List<String> chunk = new ArrayList<>();
    for (String channel : channels) {
      chunk.add(channel);
      if (chunk.size() == MAX_CHANNELS_PER_COMMAND) {
        chunks.add(chunk);
        chunk = new ArrayList<>();
      }
    }
    if (!chunk.isEmpty()) {
      chunks.add(chunk);
    }
    return chunks;
  }

  private Void failed(String what, int channels, Throwable e) {
    log.warn("could not {} {} topic channel(s) on Redis: {}", what, channels, LogSafe.clip(e));
    return null;
  }

  // Perhaps not subscribed: look at these topics again after a back-off (or at the next notice or resync,
  // whichever comes first), subscribing those still wanted and unsubscribing the others.
  private void subscribeFailed(List<String> channels, Throwable e) {
    long attempt = failuresInARow.incrementAndGet();
    if (attempt == 1) {
      failed("subscribe", channels.size(), e);
    } else {
      // Retries that keep failing (Redis away or hung) say nothing new: the first failure was logged.
      log.debug("could not subscribe {} topic channel(s) on Redis, failure {} in a row: {}", channels.size(), attempt,
          LogSafe.clip(e));
    }
    List<String> topics = channels.stream().map(names::topicOf).toList();
    for (String topic : topics) {
      subscribed.remove(topic);
      unsure.add(topic);
    }
    if (stopped) {
      return;
    }
    Duration wait = retryDelay.createDelay(attempt);
    try {
      retries.schedule(() -> {
        if (!stopped) {
          topics.forEach(this::changed);
        }
      }, wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closing) {
      // The adapter is closing: nothing to subscribe for any more.
    }
  }
}
