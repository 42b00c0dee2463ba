package dev.cinder.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of which events run inline: promotion after a streak, a lone slow inline call forgiven, demotion
 * with a doubled and capped streak, and a bound on the event names clients can make it remember.
 */
class InlineEventsTest {
  private static final long FAST = 10_000; // ns
  private static final long SLOW = 5_000_000;

  private static boolean inline(InlineEvents events, String event) {
    return events.inlineEvent("room:*", event) != null;
  }

  private static void ranInline(InlineEvents events, String event, long nanos) {
    events.ranInline(events.inlineEvent("room:*", event), "room:*", event, nanos, RunQueueClock.UNKNOWN);
  }

  /** An inline call timed also against the thread's wait for a CPU, as calls right after a slow one are. */
  private static void ranInlineWatched(InlineEvents events, String event, long nanos, long waitedNanos) {
    InlineEvents.Event e = events.inlineEvent("room:*", event);
    assertThat(events.watched(e)).as("watched").isTrue();
    events.ranInlineWaited(e, "room:*", event, nanos, waitedNanos);
  }

  private static void fastCalls(InlineEvents events, String event, int n) {
    for (int i = 0; i < n; i++) {
      events.ranQueued("room:*", event, FAST);
    }
  }

  @Test
  void aStreakOfFastCallsPromotesAndASlowCallBreaksIt() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER - 1);
    events.ranQueued("room:*", "ping", SLOW);
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER - 1);
    assertThat(inline(events, "ping")).isFalse();

    fastCalls(events, "ping", 1);
    assertThat(inline(events, "ping")).isTrue();
    assertThat(events.inlineEvent("other:*", "ping")).isNull();
  }

  @Test
  void eachSlowInlineCallDoublesTheStreakNeededUpToTheCap() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    int needed = InlineEvents.PROMOTE_AFTER;
    fastCalls(events, "ping", needed);
    assertThat(inline(events, "ping")).isTrue();
    ranInline(events, "ping", FAST); // a fast inline call changes nothing
    assertThat(inline(events, "ping")).isTrue();
    for (int round = 0; round < 10; round++) {
      ranInline(events, "ping", SLOW); // forgiven in the first round only: later ones come within its window
      if (round == 0) {
        assertThat(inline(events, "ping")).isTrue();
        ranInline(events, "ping", SLOW);
      }
      assertThat(inline(events, "ping")).isFalse();
      needed = Math.min(InlineEvents.MAX_NEEDED, needed * 2);
      fastCalls(events, "ping", needed - 1);
      assertThat(inline(events, "ping")).isFalse();
      fastCalls(events, "ping", 1);
      assertThat(inline(events, "ping")).isTrue();
    }
    assertThat(needed).isEqualTo(InlineEvents.MAX_NEEDED);
  }

  @Test
  void aLoneSlowInlineCallIsForgivenOncePerWindowAndASecondOneInItIsNot() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);

    ranInline(events, "ping", SLOW); // a collector pause or the OS, as far as anyone can tell
    assertThat(inline(events, "ping")).isTrue();
    for (int i = 0; i < InlineEvents.FORGIVE_ONE_IN - 1; i++) {
      ranInline(events, "ping", FAST);
    }
    ranInline(events, "ping", SLOW); // a window later: forgiven again
    assertThat(inline(events, "ping")).isTrue();

    ranInline(events, "ping", FAST);
    ranInline(events, "ping", SLOW); // two calls after the last forgiven one
    assertThat(inline(events, "ping")).isFalse();
  }

  /**
   * On a busy machine the OS takes the event loop off its core in the middle of fast calls, in bursts: such a call,
   * measured against the thread's wait for a CPU, is not held against its event, however many come in a row.
   */
  @Test
  void slowCallsThatOnlyWaitedForACpuDoNotSendTheEventBack() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);
    assertThat(events.watched(events.inlineEvent("room:*", "ping"))).as("not watched before a slow call").isFalse();

    ranInline(events, "ping", SLOW); // not watched yet: forgiven as the first in its window
    for (int i = 0; i < 20; i++) {
      ranInlineWatched(events, "ping", SLOW, SLOW - 500_000); // 4.5 of the 5 ms spent waiting for a CPU
      ranInlineWatched(events, "ping", FAST, RunQueueClock.UNKNOWN);
    }
    assertThat(inline(events, "ping")).isTrue();

    ranInlineWatched(events, "ping", SLOW, 1_000_000); // 4 of 5 ms its own: a second slow call in the window
    assertThat(inline(events, "ping")).isFalse();
  }

  @Test
  void callsAreWatchedForAWindowAfterASlowOneOnly() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);
    ranInline(events, "ping", SLOW);
    for (int i = 0; i < InlineEvents.FORGIVE_ONE_IN; i++) {
      ranInlineWatched(events, "ping", FAST, RunQueueClock.UNKNOWN);
    }
    assertThat(events.watched(events.inlineEvent("room:*", "ping"))).isFalse();
    assertThat(events.overLimit(SLOW)).isTrue();
    assertThat(events.overLimit(1_000_000)).isFalse();
  }

  @Test
  void aCallFarOverTheLimitIsNeverForgiven() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);

    ranInline(events, "ping", InlineEvents.NEVER_FORGIVEN_OVER * 1_000_000L + 1);

    assertThat(inline(events, "ping")).isFalse();
  }

  @Test
  void eventNamesFromAFloodOfClientsAreBoundedAndRealEventsStillEarnInline() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);
    for (int i = 0; i < 100_000; i++) {
      events.ranQueued("room:*", "junk-" + i, FAST); // each name once: never promoted, forgotten to make room
    }

    assertThat(inline(events, "ping")).as("a promoted event is kept").isTrue();
    assertThat(events.followed("room:*")).isLessThanOrEqualTo(InlineEvents.MAX_EVENTS_PER_ROUTE);
    fastCalls(events, "send", InlineEvents.PROMOTE_AFTER);
    assertThat(inline(events, "send")).isTrue();
  }

  @Test
  void aZeroLimitNeverPromotesAndRemembersNothing() {
    InlineEvents events = new InlineEvents(Duration.ZERO);
    fastCalls(events, "ping", 10 * InlineEvents.PROMOTE_AFTER);
    assertThat(inline(events, "ping")).isFalse();
    assertThat(events.followed("room:*")).isZero();
  }
}
