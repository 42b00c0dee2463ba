package dev.cinder.redis;

import dev.cinder.internal.LogSafe;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
  private final Map<String, Set<Wait>> byChannel = new HashMap<>(); // guarded by this; a set, as waits leave singly
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
    boolean closing = false;
    synchronized (this) {
      byChannel.computeIfAbsent(channel, c -> new LinkedHashSet<>()).add(wait);
      try {
        wait.deadline = timer.schedule(() -> expired(channel, wait), timeoutMillis, TimeUnit.MILLISECONDS);
      } catch (RejectedExecutionException e) {
        closing = removeLocked(channel, wait); // the adapter is closing: nothing will confirm it
      }
    }
    if (closing) {
      runOne(wait, false);
    } else if (listening.test(topic)) {
      confirmed(channel); // the confirmation came between the check above and the add
    }
  }

  /** Redis confirmed a subscription to {@code channel}: the waits it now carries run. */
  void confirmed(String channel) {
    List<Wait> ready = new ArrayList<>();
    synchronized (this) {
      Set<Wait> waits = byChannel.get(channel);
      if (waits == null) {
        return;
      }
      for (Iterator<Wait> it = waits.iterator(); it.hasNext(); ) {
        Wait wait = it.next();
        if (listening.test(wait.topic)) {
          it.remove();
          ready.add(takenLocked(wait));
        }
      }
      if (waits.isEmpty()) {
        byChannel.remove(channel);
      }
    }
    ready.forEach(wait -> runOne(wait, true));
  }

  /** The subscribing connection dropped, or the adapter closes: every wait runs now, not heard. */
  void releaseAll() {
    List<Wait> all = new ArrayList<>();
    synchronized (this) {
      byChannel.values().forEach(waits -> waits.forEach(wait -> all.add(takenLocked(wait))));
      byChannel.clear();
    }
    all.forEach(wait -> runOne(wait, false));
  }

  private void expired(String channel, Wait wait) {
    synchronized (this) {
      if (!removeLocked(channel, wait)) {
        return; // already ran
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

  /** Whether {@code wait} was still waiting on {@code channel}; it is not any more. */
  private boolean removeLocked(String channel, Wait wait) {
    Set<Wait> waits = byChannel.get(channel);
    if (waits == null || !waits.remove(wait)) {
      return false;
    }
    if (waits.isEmpty()) {
      byChannel.remove(channel);
    }
    return true;
  }

  /** A wait taken off its channel to run now: its deadline has nothing left to do. */
  private static Wait takenLocked(Wait wait) {
    if (wait.deadline != null) {
      wait.deadline.cancel(false);
    }
    return wait;
  }

  private static void runOne(Wait wait, boolean heard) {
    try {
      wait.then.run(heard);
    } catch (RuntimeException e) {
      log.error("work waiting for a Redis subscription failed", e);
    }
  }
}
