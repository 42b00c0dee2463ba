package dev.cinder.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.History;
import dev.cinder.Payload;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MemoryHistoryTest {
  private static final History TEN_FOR_A_MINUTE = History.of(10, Duration.ofMinutes(1));
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final MemoryHistory store = new MemoryHistory(now::get);
  private final List<Dispatch> delivered = new ArrayList<>();

  private Dispatch append(String topic, int n) {
    store.append(new Broadcast(topic, "msg", Payload.of(Map.of("n", n))), TEN_FOR_A_MINUTE, delivered::add);
    return delivered.getLast();
  }

  private Recovery recover(String topic, Position since) {
    return store.recover(topic, TEN_FOR_A_MINUTE, since).join();
  }

  @Test
  void positionsCountUpPerTopicInOneEpochEach() {
    Dispatch a1 = append("a", 1);
    Dispatch a2 = append("a", 2);
    Dispatch b1 = append("b", 1);
    assertThat(a1.position().offset()).isEqualTo(1);
    assertThat(a2.position().offset()).isEqualTo(2);
    assertThat(a2.position().epoch()).isEqualTo(a1.position().epoch());
    assertThat(b1.position().offset()).isEqualTo(1);
    assertThat(b1.position().epoch()).isNotEqualTo(a1.position().epoch());
  }

  @Test
  void recoveryGivesWhatCameAfterThePositionInOrder() {
    Dispatch first = append("t", 1);
    Dispatch second = append("t", 2);
    Dispatch third = append("t", 3);
    Recovery recovery = recover("t", first.position());
    assertThat(recovery.recovered()).isTrue();
    assertThat(recovery.missed()).containsExactly(second, third); // the very dispatches, frames and all
    assertThat(recovery.position()).isEqualTo(third.position());
    Recovery upToDate = recover("t", third.position());
    assertThat(upToDate.recovered()).isTrue();
    assertThat(upToDate.missed()).isEmpty();
  }

  @Test
  void aFirstJoinGetsTheLatestPositionOfEvenAnEmptyTopic() {
    Recovery first = recover("empty", null);
    assertThat(first.failure()).isEqualTo(Recovery.NO_POSITION);
    assertThat(first.position().offset()).isZero();
    Dispatch later = append("empty", 1);
    assertThat(later.position().epoch()).isEqualTo(first.position().epoch());
    assertThat(recover("empty", first.position()).missed()).containsExactly(later);
  }

  @Test
  void moreThanTheHistoryKeepsIsTooOld() {
    Dispatch first = append("t", 0);
    for (int n = 1; n <= 10; n++) {
      append("t", n);
    }
    assertThat(recover("t", first.position()).recovered()).as("offsets 2..11 kept: all after 1").isTrue();
    append("t", 11);
    Recovery recovery = recover("t", first.position());
    assertThat(recovery.failure()).isEqualTo(Recovery.TOO_OLD);
    assertThat(recovery.missed()).isEmpty();
  }

  @Test
  void expiredBroadcastsAreGoneAndAPositionBeforeThemIsTooOld() {
    Dispatch first = append("t", 1);
    append("t", 2);
    now.addAndGet(Duration.ofSeconds(61).toNanos());
    Dispatch fresh = append("t", 3);
    Recovery recovery = recover("t", first.position());
    assertThat(recovery.failure()).isEqualTo(Recovery.TOO_OLD);
    assertThat(recover("t", new Position(first.position().epoch(), 2)).missed()).containsExactly(fresh);
  }

  @Test
  void theSweepLetsGoOfExpiredBroadcastsAndLaterOfQuietTopics() {
    Dispatch only = append("quiet", 1);
    now.addAndGet(Duration.ofMinutes(2).toNanos());
    store.sweep();
    Recovery afterExpiry = recover("quiet", only.position());
    assertThat(afterExpiry.recovered()).as("nothing came after it: still recoverable").isTrue();
    assertThat(store.topicCount()).isEqualTo(1);
    now.addAndGet(History.POSITIONS_KEPT.plusMinutes(1).toNanos());
    store.sweep();
    assertThat(store.topicCount()).isZero();
    Recovery afterForgetting = recover("quiet", only.position());
    assertThat(afterForgetting.failure()).isEqualTo(Recovery.EPOCH_CHANGED);
    assertThat(afterForgetting.position().epoch()).isNotEqualTo(only.position().epoch());
  }

  @Test
  void aTopicOnlyJoinedIsForgottenAfterItsTtlNotAfterADay() {
    Recovery first = recover("joined-only", null);
    now.addAndGet(Duration.ofSeconds(30).toNanos());
    assertThat(recover("joined-only", first.position()).recovered()).as("asked again: kept longer").isTrue();
    now.addAndGet(Duration.ofSeconds(50).toNanos());
    store.sweep();
    assertThat(store.topicCount()).as("80 s after the first ask, 50 after the last").isEqualTo(1);
    now.addAndGet(Duration.ofSeconds(11).toNanos());
    store.sweep();
    assertThat(store.topicCount()).isZero();
    assertThat(recover("joined-only", first.position()).failure()).isEqualTo(Recovery.EPOCH_CHANGED);
  }

  @Test
  void aPositionAheadOfTheTopicOrOfAnotherEpochIsNotRecovered() {
    Dispatch one = append("t", 1);
    assertThat(recover("t", new Position(one.position().epoch(), 5)).failure()).isEqualTo(Recovery.UNKNOWN_POSITION);
    assertThat(recover("t", new Position("othereph", 1)).failure()).isEqualTo(Recovery.EPOCH_CHANGED);
  }

  @Test
  void positionsReadFromClientsAreCheckedNotTrusted() {
    assertThat(Position.parse("abc:12")).isEqualTo(new Position("abc", 12));
    assertThat(Position.parse("a:b:7")).isEqualTo(new Position("a:b", 7));
    for (String bad : new String[] {null, "", ":1", "abc:", "abc", "abc:-1", "abc:1x", "abc:99999999999999999999",
        "e".repeat(70) + ":1"}) {
      assertThat(Position.parse(bad)).as(String.valueOf(bad)).isNull();
    }
    assertThat(Position.newEpoch()).matches("[a-z2-7]{8}");
    assertThatThrownBy(() -> History.of(0, Duration.ofSeconds(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> History.of(1, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
  }
}
