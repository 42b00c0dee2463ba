package dev.cinder.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The bookkeeping of which events run inline: promotion after a streak, demotion with a doubled and capped streak,
 * and a bound on the event names clients can make it remember.
 */
class InlineEventsTest {
  private static final long FAST = 10_000; // ns
  private static final long SLOW = 5_000_000;

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
    assertThat(events.inline("room:*", "ping")).isFalse();

    fastCalls(events, "ping", 1);
    assertThat(events.inline("room:*", "ping")).isTrue();
    assertThat(events.inline("other:*", "ping")).isFalse();
  }

  @Test
  void eachSlowInlineCallDoublesTheStreakNeededUpToTheCap() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    int needed = InlineEvents.PROMOTE_AFTER;
    fastCalls(events, "ping", needed);
    assertThat(events.inline("room:*", "ping")).isTrue();
    events.ranInline("room:*", "ping", FAST); // a fast inline call changes nothing
    assertThat(events.inline("room:*", "ping")).isTrue();
    for (int round = 0; round < 10; round++) {
      events.ranInline("room:*", "ping", SLOW);
      assertThat(events.inline("room:*", "ping")).isFalse();
      needed = Math.min(InlineEvents.MAX_NEEDED, needed * 2);
      fastCalls(events, "ping", needed - 1);
      assertThat(events.inline("room:*", "ping")).isFalse();
      fastCalls(events, "ping", 1);
      assertThat(events.inline("room:*", "ping")).isTrue();
    }
    assertThat(needed).isEqualTo(InlineEvents.MAX_NEEDED);
  }

  @Test
  void eventNamesFromAFloodOfClientsAreBoundedAndRealEventsStillEarnInline() {
    InlineEvents events = new InlineEvents(Duration.ofMillis(1));
    fastCalls(events, "ping", InlineEvents.PROMOTE_AFTER);
    for (int i = 0; i < 100_000; i++) {
      events.ranQueued("room:*", "junk-" + i, FAST); // each name once: never promoted, forgotten to make room
    }

    assertThat(events.inline("room:*", "ping")).as("a promoted event is kept").isTrue();
    assertThat(events.followed("room:*")).isLessThanOrEqualTo(InlineEvents.MAX_EVENTS_PER_ROUTE);
    fastCalls(events, "send", InlineEvents.PROMOTE_AFTER);
    assertThat(events.inline("room:*", "send")).isTrue();
  }

  @Test
  void aZeroLimitNeverPromotesAndRemembersNothing() {
    InlineEvents events = new InlineEvents(Duration.ZERO);
    fastCalls(events, "ping", 10 * InlineEvents.PROMOTE_AFTER);
    assertThat(events.inline("room:*", "ping")).isFalse();
    assertThat(events.followed("room:*")).isZero();
  }
}
