package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each wait runs exactly once: heard on its channel's confirmation, not heard on a drop, a close or its deadline. */
class ListeningWaitsTest {
  private final Set<String> heard = ConcurrentHashMap.newKeySet(); // topics this "node" hears
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @AfterEach
  void stopTimer() {
    timer.shutdownNow();
  }

  private ListeningWaits waits(long timeoutMillis) {
    // Two topics share a channel, as they do under the SHARED mapping.
    return new ListeningWaits(heard::contains, topic -> topic.startsWith("shared:") ? "all" : "t:" + topic, timer,
        timeoutMillis);
  }

  private ListeningWaits.Waiter record(String name) {
    return wasHeard -> ran.add(name + "=" + wasHeard);
  }

  @Test
  void aTopicAlreadyHeardRunsAtOnceAndTheOthersOnTheirChannelsConfirmation() {
    ListeningWaits waits = waits(60_000);
    heard.add("room:1");
    waits.add("room:1", record("a"));
    waits.add("room:2", record("b"));
    waits.add("room:3", record("c"));
    assertThat(ran).containsExactly("a=true");

    heard.add("room:2");
    waits.confirmed("t:room:2");
    waits.confirmed("t:room:2"); // a confirmation told twice runs nothing twice
    waits.confirmed("t:room:3"); // confirmed, but not heard (e.g. by a master that is no longer the topic's)

    assertThat(ran).containsExactly("a=true", "b=true");
  }

  @Test
  void aConfirmationRunsOnlyTheWaitsItsChannelNowCarries() {
    ListeningWaits waits = waits(60_000);
    waits.add("shared:x", record("x"));
    waits.add("shared:y", record("y"));
    heard.add("shared:y");

    waits.confirmed("all");

    assertThat(ran).containsExactly("y=true");
  }

  @Test
  void aDropRunsEveryWaitNotHeardAndOnlyOnce() {
    ListeningWaits waits = waits(60_000);
    waits.add("room:1", record("a"));
    waits.add("shared:x", record("x"));

    waits.releaseAll();
    heard.add("room:1");
    waits.confirmed("t:room:1");
    waits.releaseAll();

    assertThat(ran).containsExactlyInAnyOrder("a=false", "x=false");
  }

  @Test
  void aWaitRedisNeverConfirmsRunsNotHeardAtItsDeadline() {
    ListeningWaits waits = waits(50);
    waits.add("room:1", record("a"));

    await().atMost(Duration.ofSeconds(10)).until(() -> !ran.isEmpty());
    heard.add("room:1");
    waits.confirmed("t:room:1");

    assertThat(ran).containsExactly("a=false");
  }

  @Test
  void aWaitAddedWhileTheAdapterClosesRunsNotHeardAtOnce() {
    ListeningWaits waits = waits(60_000);
    timer.shutdownNow(); // the adapter's executor is stopping: no deadline can be set

    waits.add("room:1", record("a"));

    assertThat(ran).containsExactly("a=false");
  }

  @Test
  void aWaitThatThrowsDoesNotKeepTheOthersFromRunning() {
    ListeningWaits waits = waits(60_000);
    waits.add("shared:x", wasHeard -> {
      throw new IllegalStateException("a failing wait");
    });
    waits.add("shared:y", record("y"));

    waits.releaseAll();

    assertThat(ran).containsExactly("y=false");
  }
}
