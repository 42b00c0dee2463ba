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
 * <p>After a diff to a topic of s local subscribers (s frames), the next window lasts at least
 * s / {@code diffFramesPerSecond} (at most 1 s): a storm on a topic of 5,000 members then costs about 20,000 diff
 * frames a second by default, however fast its members come, rather than 5,000 every 20 ms. The window is shared
 * by all topics, so during such a storm the diffs of small topics wait as long.
 *
 * <p>Diffs are fetched and sent by one mailbox, one batch at a time in order, with
 * {@link PubSub#localBroadcast}: every node tells its own subscribers, from its own view. Topics
 * with no local subscriber are skipped.
 */
final class DiffBatcher {
  private static final Logger log = LoggerFactory.getLogger(DiffBatcher.class);
  /** The longest a large topic makes the next diff wait. */
  static final long MAX_WINDOW_NANOS = 1_000_000_000L;

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
  /** The window after the last flush: the configured one, or longer after a diff to a large topic. */
  private long nextWindowNanos;
  private final long nanosPerSubscriber;
  private volatile boolean closed;

  private final Telemetry telemetry;

  DiffBatcher(PubSub pubSub, PresenceView view, PresenceFetch fetch, Predicate<String> countOnly, Duration window,
      int diffFramesPerSecond, Telemetry telemetry) {
    this.pubSub = pubSub;
    this.countOnly = countOnly;
    this.view = view;
    this.telemetry = telemetry;
    this.fetch = fetch;
    this.windowNanos = window.toNanos();
    this.lastFlush = System.nanoTime() - windowNanos;
    this.nextWindowNanos = windowNanos;
    this.nanosPerSubscriber = diffFramesPerSecond == 0 ? 0 : 1_000_000_000L / diffFramesPerSecond;
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
      long wait = lastFlush + nextWindowNanos - System.nanoTime();
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
    int mostSubscribers = 0;
    for (Map.Entry<String, TopicDiff> entry : batch.entrySet()) {
      mostSubscribers = Math.max(mostSubscribers, send(entry.getKey(), entry.getValue()));
    }
    // Each subscriber of a topic costs one frame per diff: a topic of n subscribers waits n / diffFramesPerSecond
    // before its next diff, so a storm on a huge topic sends fewer, larger diffs instead of more frames.
    long window = Math.max(windowNanos, Math.min(MAX_WINDOW_NANOS, mostSubscribers * nanosPerSubscriber));
    synchronized (lock) {
      nextWindowNanos = window;
    }
  }

  /** Sends one topic's diff to its local subscribers; returns how many there were. */
  private int send(String topic, TopicDiff diff) {
    int subscribers = pubSub.subscriberCount(topic);
    if (closed || diff.isEmpty() || subscribers == 0) {
      return 0;
    }
    try {
      if (countOnly.test(topic)) {
        pubSub.localBroadcast(topic, Presence.COUNT_EVENT, Map.of("count", view.count(topic)));
        telemetry.presenceChanged(topic, diff.joins().size(), diff.leaves().size());
        return subscribers;
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("joins", enrich(topic, diff.joins()));
      payload.put("leaves", enrich(topic, diff.leaves()));
      pubSub.localBroadcast(topic, "presence_diff", payload);
      telemetry.presenceChanged(topic, diff.joins().size(), diff.leaves().size());
    } catch (RuntimeException e) {
      log.error("presence_diff for {} failed", LogSafe.clip(topic), e);
    }
    return subscribers;
  }

  private Map<String, Map<String, Object>> enrich(String topic, Map<String, Map<String, Object>> presences) {
    return presences.isEmpty() ? presences : fetch.fetch(topic, presences);
  }

  void close() {
    closed = true;
  }
}
