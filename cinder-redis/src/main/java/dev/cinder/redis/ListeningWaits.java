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
 * "ok" misses no broadcast another node sends afterwards. Each wait runs exactly once, on whichever comes first:
 * Redis confirms the subscription that carries the topic, the subscribing connection drops (nothing crosses then,
 * so waiting gains nothing), the adapter closes, or the deadline passes (a SUBSCRIBE that is never answered must
 * not hold a join for ever).
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

  private static final class Wait {
    final String topic;
    final Runnable then;
    ScheduledFuture<?> deadline; // guarded by the ListeningWaits

    Wait(String topic, Runnable then) {
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

  /** Runs {@code then} once the topic is heard (see the class), at once on this thread when it already is. */
  void add(String topic, Runnable then) {
    if (listening.test(topic)) {
      then.run();
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
    run(ready);
  }

  /** The subscribing connection dropped, or the adapter closes: every wait runs now. */
  void releaseAll() {
    List<Wait> all = new ArrayList<>();
    synchronized (this) {
      byChannel.values().forEach(all::addAll);
      byChannel.clear();
    }
    run(all);
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
      log.warn("Redis did not confirm the subscription to {} within {} ms; answering the join without it (broadcasts "
          + "from other nodes reach the client once it is confirmed)", LogSafe.clip(channel), timeoutMillis);
    }
    runOne(wait);
  }

  private void run(List<Wait> waits) {
    for (Wait wait : waits) {
      synchronized (this) {
        if (wait.deadline != null) {
          wait.deadline.cancel(false);
        }
      }
      runOne(wait);
    }
  }

  private static void runOne(Wait wait) {
    try {
      wait.then.run();
    } catch (RuntimeException e) {
      log.error("work waiting for a Redis subscription failed", e);
    }
  }
}
