package dev.cinder.redis;

import dev.cinder.internal.LogSafe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work that waits until this node hears a topic's broadcasts on Redis: a channel's join reply, so that a client told
 * "ok" misses no broadcast another node sends afterwards, and a recovery's read of a history, so that none published
 * after the read passes it by. Each wait runs exactly once, on whichever comes first: Redis confirms the
 * subscription that carries the topic (it is told it was heard), the subscribing connection drops, the adapter
 * closes, or the deadline passes (a SUBSCRIBE that is never answered must not hold anything for ever).
 */
final class ListeningWaits {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final long WARN_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Predicate<String> listening; // by topic: whether this node hears it now
  private final Function<String, String> channelOf;
  private final ScheduledExecutorService timer;
  private final long timeoutMillis;
  private final Map<String, List<Wait>> byChannel = new HashMap<>(); // guarded by this
  private volatile long lastWarned = System.nanoTime() - WARN_EVERY_NANOS - 1;

  /** What waits: {@code heard} true when the node hears the topic now, false after a drop, a close or the deadline. */
  interface Waiter {
    void run(boolean heard);
  }

  private static final class Wait {
    final String topic;
    final Waiter then;
    ScheduledFuture<?> deadline; // guarded by the ListeningWaits

    Wait(String topic, Waiter then) {
      this.topic = topic;
      this.then = then;
    }
  }

  ListeningWaits(Predicate<String> listening, Function<String, String> channelOf, ScheduledExecutorService timer,
      long timeoutMillis) {
    this.listening = listening;
    this.channelOf = channelOf;
    this.timer = timer;
    this.timeoutMillis = timeoutMillis;
  }

  /** Whether this node hears the topic's broadcasts on Redis now. */
  boolean heard(String topic) {
    return listening.test(topic);
  }

  /** Runs {@code then} once the topic is heard or cannot be (see the class), at once on this thread when it is heard. */
  void add(String topic, Waiter then) {
    if (listening.test(topic)) {
      then.run(true);
      return;
    }
    String channel = channelOf.apply(topic);
    Wait wait = new Wait(topic, then);
    synchronized (this) {
      byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(wait);
      try {
        wait.deadline = timer.schedule(() -> expired(channel, wait), timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException closing) {
        // the adapter is closing: released below by its close
      }
    }
    confirmed(channel); // a confirmation that came between the check above and the add would otherwise be missed
  }

  /** Redis confirmed a subscription to {@code channel}: the waits it now carries run. */
  void confirmed(String channel) {
    List<Wait> ready = new ArrayList<>();
    synchronized (this) {
      List<Wait> waits = byChannel.get(channel);
      if (waits == null) {
        return;
      }
      for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
        Wait wait = it.next();
        if (listening.test(wait.topic)) {
          it.remove();
          ready.add(wait);
        }
      }
      if (waits.isEmpty()) {
        byChannel.remove(channel);
      }
    }
    run(ready, true);
  }

  /** The subscribing connection dropped, or the adapter closes: every wait runs now, not heard. */
  void releaseAll() {
    List<Wait> all = new ArrayList<>();
    synchronized (this) {
      byChannel.values().forEach(all::addAll);
      byChannel.clear();
    }
    run(all, false);
  }

  private void expired(String channel, Wait wait) {
    synchronized (this) {
      List<Wait> waits = byChannel.get(channel);
      if (waits == null || !waits.remove(wait)) {
        return; // already ran
      }
      if (waits.isEmpty()) {
        byChannel.remove(channel);
      }
    }
    long now = System.nanoTime();
    if (now - lastWarned > WARN_EVERY_NANOS) { // a hung Redis would otherwise log every join
      lastWarned = now;
      log.warn("Redis did not confirm the subscription to {} within {} ms: joins are answered without it (broadcasts "
          + "from other nodes reach their clients once it is confirmed), recoveries are unavailable", LogSafe.clip(channel),
          timeoutMillis);
    }
    runOne(wait, false);
  }

  private void run(List<Wait> waits, boolean heard) {
    for (Wait wait : waits) {
      synchronized (this) {
        if (wait.deadline != null) {
          wait.deadline.cancel(false);
        }
      }
      runOne(wait, heard);
    }
  }

  private static void runOne(Wait wait, boolean heard) {
    try {
      wait.then.run(heard);
    } catch (RuntimeException e) {
      log.error("work waiting for a Redis subscription failed", e);
    }
  }
}
