package dev.cinder.presence;

import dev.cinder.PubSub;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.mailbox.Mailbox;
import dev.cinder.internal.presence.Change;
import dev.cinder.internal.presence.PresenceTimer;
import dev.cinder.telemetry.Telemetry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns tracker changes into {@code presence_diff} broadcasts, at most one per topic per window.
 *
 * <p>The first change after a quiet window goes out at once; changes that follow within {@code window} of
 * the last broadcast wait for the window to end and go out merged into one diff per topic ({@link TopicDiff}).
 * A join storm of n clients therefore sends about (storm duration / window) diffs to each subscriber instead
 * of n, and the total traffic stays near n·subscribers instead of n². A window of zero sends at once, still
 * merging whatever piled up while the previous diff was being fetched and sent.
 *
 * <p>Diffs are fetched and sent by one mailbox, one batch at a time in order, with
 * {@link PubSub#localBroadcast}: every node tells its own subscribers, from its own view. Topics
 * with no local subscriber are skipped.
 */
final class DiffBatcher {
  private static final Logger log = LoggerFactory.getLogger(DiffBatcher.class);

  private final PubSub pubSub;
  private final PresenceView view;
  private final PresenceFetch fetch;
  private final Predicate<String> countOnly;
  private final long windowNanos;
  private final Mailbox publisher = new Mailbox();
  private final Object lock = new Object();
  private Map<String, TopicDiff> pending = new LinkedHashMap<>();
  private boolean scheduled;
  private long lastFlush;
  private volatile boolean closed;

  private final Telemetry telemetry;

  DiffBatcher(PubSub pubSub, PresenceView view, PresenceFetch fetch, Predicate<String> countOnly, Duration window,
      Telemetry telemetry) {
    this.pubSub = pubSub;
    this.countOnly = countOnly;
    this.view = view;
    this.telemetry = telemetry;
    this.fetch = fetch;
    this.windowNanos = window.toNanos();
    this.lastFlush = System.nanoTime() - windowNanos;
  }

  /**
   * Queues changes, already applied to the view; never blocks (called under the lock of the tracker shard that
   * owns their topics, so the view's change count of each topic is the one including them).
   */
  void add(List<Change> changes) {
    synchronized (lock) {
      for (Change change : changes) {
        String topic = change.element().topic();
        TopicDiff diff = pending.computeIfAbsent(topic, t -> new TopicDiff());
        diff.applied(view.applied(topic));
        if (change.join()) {
          diff.join(change.element());
        } else {
          diff.leave(change.element());
        }
      }
      if (scheduled || closed) {
        return;
      }
      scheduled = true;
      long wait = lastFlush + windowNanos - System.nanoTime();
      if (wait <= 0) {
        publisher.execute(this::flush);
      } else {
        PresenceTimer.after(wait, () -> publisher.execute(this::flush));
      }
    }
  }

  private void flush() {
    Map<String, TopicDiff> batch;
    synchronized (lock) {
      batch = pending;
      pending = new LinkedHashMap<>();
      scheduled = false;
      lastFlush = System.nanoTime();
    }
    // Before any of them goes out: from now on a shared presence_state must include these changes.
    batch.forEach((topic, diff) -> view.sending(topic, diff.applied()));
    batch.forEach(this::send);
  }

  private void send(String topic, TopicDiff diff) {
    if (closed || diff.isEmpty() || pubSub.subscriberCount(topic) == 0) {
      return;
    }
    try {
      if (countOnly.test(topic)) {
        pubSub.localBroadcast(topic, Presence.COUNT_EVENT, Map.of("count", view.count(topic)));
        telemetry.presenceChanged(topic, diff.joins().size(), diff.leaves().size());
        return;
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("joins", enrich(topic, diff.joins()));
      payload.put("leaves", enrich(topic, diff.leaves()));
      pubSub.localBroadcast(topic, "presence_diff", payload);
      telemetry.presenceChanged(topic, diff.joins().size(), diff.leaves().size());
    } catch (RuntimeException e) {
      log.error("presence_diff for {} failed", LogSafe.clip(topic), e);
    }
  }

  private Map<String, Map<String, Object>> enrich(String topic, Map<String, Map<String, Object>> presences) {
    return presences.isEmpty() ? presences : fetch.fetch(topic, presences);
  }

  void close() {
    closed = true;
  }
}
