package dev.cinder.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/**
 * The driver events of one socket or one channel, in arrival order. Waits consume the first matching event,
 * so a test can await the same kind of event twice; the full history stays available for snapshots and for
 * failure messages ("expected X; received: ...").
 */
final class EventLog {
  private static final int SHOWN_IN_FAILURES = 30;
  private static final int MAX_EVENT_CHARS = 400;

  private final String name;
  private final List<JsonNode> history = new ArrayList<>();
  private final List<JsonNode> pending = new ArrayList<>();
  private String deadReason;

  EventLog(String name) {
    this.name = name;
  }

  synchronized void add(JsonNode event) {
    history.add(event);
    pending.add(event);
    notifyAll();
  }

  /** The driver is gone: no event will come, so waits fail at once instead of at their timeout. */
  synchronized void kill(String reason) {
    deadReason = reason;
    notifyAll();
  }

  /** Marks every event received so far as consumed: later waits see only what arrives from now on. */
  synchronized void skipPending() {
    pending.clear();
  }

  synchronized List<JsonNode> history() {
    return List.copyOf(history);
  }

  /** Removes and returns the first unconsumed event that matches, waiting up to {@code timeout} for it. */
  synchronized JsonNode await(Predicate<JsonNode> matcher, Duration timeout, String expected) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Iterator<JsonNode> it = pending.iterator(); it.hasNext(); ) {
        JsonNode event = it.next();
        if (matcher.test(event)) {
          it.remove();
          return event;
        }
      }
      long left = deadline - System.nanoTime();
      if (deadReason != null) {
        throw new AssertionError("expected " + expected + " on " + name + ", but the driver is gone (" + deadReason + "); " + summary());
      }
      if (left <= 0) {
        throw new AssertionError("expected " + expected + " on " + name + " within " + timeout.toMillis() + " ms; " + summary());
      }
      waitNanos(left);
    }
  }

  /** Fails if an unconsumed event matches now or arrives within {@code window}. */
  synchronized void assertNone(Predicate<JsonNode> matcher, Duration window, String unexpected) {
    long deadline = System.nanoTime() + window.toNanos();
    int checked = 0;
    while (true) {
      for (int i = checked; i < pending.size(); i++) {
        if (matcher.test(pending.get(i))) {
          throw new AssertionError("expected no " + unexpected + " on " + name + " but got " + compact(pending.get(i)) + "; " + summary());
        }
      }
      checked = pending.size();
      long left = deadline - System.nanoTime();
      if (left <= 0 || deadReason != null) {
        return;
      }
      waitNanos(left);
    }
  }

  private void waitNanos(long nanos) {
    try {
      wait(Math.max(1, nanos / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting on " + name, e);
    }
  }

  /** What arrived, for failure messages. */
  synchronized String summary() {
    if (history.isEmpty()) {
      return "nothing arrived";
    }
    int from = Math.max(0, history.size() - SHOWN_IN_FAILURES);
    StringBuilder text = new StringBuilder("received " + history.size() + " event(s)");
    text.append(from > 0 ? ", the last " + SHOWN_IN_FAILURES + ":" : ":");
    for (JsonNode event : history.subList(from, history.size())) {
      text.append("\n  ").append(isPending(event) ? "" : "(consumed) ").append(compact(event));
    }
    return text.toString();
  }

  private boolean isPending(JsonNode event) {
    return pending.stream().anyMatch(p -> p == event);
  }

  private static String compact(JsonNode event) {
    String json = event.toString();
    return json.length() <= MAX_EVENT_CHARS ? json : json.substring(0, MAX_EVENT_CHARS) + "…";
  }
}
