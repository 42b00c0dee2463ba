package dev.cinder.internal.channel;

import dev.cinder.internal.LogSafe;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which client events of a socket mount's channel routes run their {@code handleIn} inline, on the thread that
 * read the push (the connection's event loop): no hand-over to the channel's virtual thread and back, the cheapest
 * path, but one where blocking would hold up every other connection of that thread. So an event earns it: it
 * starts on the channel's virtual thread, and once {@link #PROMOTE_AFTER} of its calls in a row there each took
 * at most the limit, it runs inline. An inline call over the limit sends it back to the virtual thread, and it
 * must then show twice as many fast calls in a row as the last time (up to {@link #MAX_NEEDED}) before it is
 * inline again: an event that blocks now and then (a cache miss that goes to the database) mostly stays on the
 * virtual thread.
 *
 * <p>Wall time alone cannot tell a callback that blocked from one that was stopped by a collector pause or taken
 * off its core by the OS, and on a busy machine those land in fast calls several times a second. So a slow inline
 * call is forgiven when it is the first in {@link #FORGIVE_ONE_IN} inline calls of its event and took at most
 * {@link #NEVER_FORGIVEN_OVER} times the limit; a second one within that window, or one far over the limit,
 * sends the event back. An event that blocks on most calls is back on its virtual thread after two.
 *
 * <p>After a slow call, the event's next {@link #FORGIVE_ONE_IN} inline calls are also timed against the thread's
 * wait for a CPU ({@link RunQueueClock}, where Linux reports it): a call that was slow only because the OS ran other
 * threads meanwhile is not held against its event at all. Without that, bursts of such calls (two cores shared
 * with a load generator and the JIT) kept sending a fast event back to its virtual thread, where each push costs
 * two thread hand-overs.
 *
 * <p>One mount's instance is shared by all its connections. Event names come from clients, so at most
 * {@link #MAX_EVENTS_PER_ROUTE} events per route are followed; when that is full, those still on probation are
 * forgotten to make room, and an event that finds no room runs on the virtual thread.
 */
public final class InlineEvents {
  static final int PROMOTE_AFTER = 64;
  static final int MAX_EVENTS_PER_ROUTE = 64;
  static final int MAX_NEEDED = 64 * PROMOTE_AFTER;
  static final int FORGIVE_ONE_IN = 1024;
  static final int NEVER_FORGIVEN_OVER = 50;
  private static final Logger log = LoggerFactory.getLogger(InlineEvents.class);

  private final long limitNanos;
  private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

  /** {@code limit} zero: no event ever runs inline. */
  public InlineEvents(Duration limit) {
    this.limitNanos = limit.toNanos();
  }

  /** The record of {@code event} of {@code route} if a push of it runs inline now, else null. */
  Event inlineEvent(String route, String event) {
    Route r = routes.get(route);
    if (r == null) {
      return null;
    }
    Event e = r.events.get(event);
    return e != null && e.inline ? e : null;
  }

  /** A {@code handleIn} of {@code event} ran on the channel's virtual thread and took {@code nanos}. */
  public void ranQueued(String route, String event, long nanos) {
    if (limitNanos == 0) {
      return;
    }
    if (nanos > limitNanos) {
      Route r = routes.get(route);
      Event e = r == null ? null : r.events.get(event);
      if (e != null) {
        e.streak.set(0);
      }
      return;
    }
    Event e = routes.computeIfAbsent(route, k -> new Route()).event(event);
    // An event already inline that waited its turn on a busy channel has nothing left to earn.
    if (e != null && !e.inline && e.streak.incrementAndGet() >= e.needed) {
      e.inline = true;
    }
  }

  /** Whether a call that took {@code nanos} took too long to run inline. */
  boolean overLimit(long nanos) {
    return nanos > limitNanos;
  }

  /**
   * Whether the next inline call of {@code e} should be timed against the thread's wait for a CPU: it follows a
   * slow one closely.
   */
  boolean watched(Event e) {
    return e.inlineCalls < e.watchedUntil;
  }

  /**
   * An inline {@code handleIn} of {@code e} ({@code event} of {@code route}) took {@code nanos}; called right after
   * it, on its thread. {@code waitedBefore} is the thread's {@link RunQueueClock} reading from just before the call
   * when it was {@link #watched} ({@link RunQueueClock#UNKNOWN} otherwise): a slow call's wait for a CPU is then
   * read now and not counted.
   */
  void ranInline(Event e, String route, String event, long nanos, long waitedBefore) {
    long waited = RunQueueClock.UNKNOWN;
    if (overLimit(nanos) && waitedBefore != RunQueueClock.UNKNOWN) {
      long now = RunQueueClock.waitedNanos();
      waited = now == RunQueueClock.UNKNOWN ? now : now - waitedBefore;
    }
    ranInlineWaited(e, route, event, nanos, waited);
  }

  /**
   * An inline call took {@code nanos}, of which its thread waited {@code waitedNanos} for a CPU
   * ({@link RunQueueClock#UNKNOWN} when not measured): over the limit without that wait, unless forgiven, the event
   * goes back to the virtual thread.
   */
  void ranInlineWaited(Event e, String route, String event, long nanos, long waitedNanos) {
    long calls = ++e.inlineCalls; // two event loops may race here: a lost count only moves the window a little
    if (!overLimit(nanos)) {
      return;
    }
    e.watchedUntil = calls + FORGIVE_ONE_IN;
    if (waitedNanos != RunQueueClock.UNKNOWN && nanos - waitedNanos <= limitNanos) {
      return; // the OS ran other threads meanwhile: not the callback's doing
    }
    if (nanos <= NEVER_FORGIVEN_OVER * limitNanos && calls - e.forgivenAt >= FORGIVE_ONE_IN) {
      e.forgivenAt = calls; // most likely a collector pause or the OS: see the class comment
      return;
    }
    if (e.inline) {
      e.inline = false;
      e.streak.set(0);
      boolean first = e.needed == PROMOTE_AFTER;
      e.needed = Math.min(MAX_NEEDED, e.needed * 2);
      if (!first && !log.isDebugEnabled()) {
        return; // said once at info; a collector pause can cause this again and again
      }
      (first ? log.atInfo() : log.atDebug()).log("event {} of channel route {} ran {} ms inline, over the limit of {} ms: it runs on its channel's virtual "
          + "thread until {} calls in a row are fast", LogSafe.clip(event), route, nanos / 1_000_000,
          limitNanos / 1e6, e.needed);
    }
  }

  /** How many events of {@code route} are followed now, for tests of the bound. */
  int followed(String route) {
    Route r = routes.get(route);
    return r == null ? 0 : r.events.size();
  }

  /** The followed events of one route. */
  private static final class Route {
    final ConcurrentHashMap<String, Event> events = new ConcurrentHashMap<>();

    /** The event's record, made if there is room; null if there is none. */
    Event event(String name) {
      Event e = events.get(name);
      if (e != null) {
        return e;
      }
      if (events.size() >= MAX_EVENTS_PER_ROUTE) {
        events.values().removeIf(x -> !x.inline && x.needed == PROMOTE_AFTER); // on probation, no history
        if (events.size() >= MAX_EVENTS_PER_ROUTE) {
          return null;
        }
      }
      return events.computeIfAbsent(name, k -> new Event());
    }
  }

  /**
   * One event: its fast calls in a row on the virtual thread, how many it needs, whether it runs inline, and its
   * count of inline calls with the count at the last slow one that was forgiven and the count until which calls
   * are watched.
   */
  static final class Event {
    final AtomicInteger streak = new AtomicInteger();
    volatile int needed = PROMOTE_AFTER;
    volatile boolean inline;
    long inlineCalls; // long: at a million inline calls a second an int would wrap around within an hour
    long forgivenAt = -FORGIVE_ONE_IN;
    long watchedUntil; // inline calls before this count are timed against the thread's wait for a CPU
  }
}
