package dev.cinder.internal.mailbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/** The serial executor under every channel and socket: order, exclusion, holding, failures, idleness. */
class MailboxTest {
  private static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  /** Runs {@code body} on {@code n} threads started together, and waits for all of them. */
  private static void onThreads(int n, IntConsumer body) throws InterruptedException {
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < n; t++) {
      int id = t;
      threads.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        body.accept(id);
      }));
    }
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }
  }

  interface IntConsumer {
    void accept(int value);
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void runsTasksInExactSubmissionOrderWhileManyThreadsSubmit() throws InterruptedException {
    Mailbox mailbox = new Mailbox();
    List<Integer> ran = new CopyOnWriteArrayList<>();
    AtomicInteger next = new AtomicInteger();
    Object submitLock = new Object();
    int perThread = 500;

    // The lock makes "number taken" and "task submitted" one step, so submission order is a known total order.
    onThreads(8, t -> {
      for (int i = 0; i < perThread; i++) {
        synchronized (submitLock) {
          int n = next.getAndIncrement();
          mailbox.execute(() -> ran.add(n));
        }
      }
    });

    eventually().until(() -> ran.size() == 8 * perThread);
    assertThat(ran).containsExactlyElementsOf(IntStream.range(0, 8 * perThread).boxed().toList());
  }

  @Test
  void neverRunsTwoTasksAtOnce() throws InterruptedException {
    Mailbox mailbox = new Mailbox();
    AtomicInteger active = new AtomicInteger();
    AtomicInteger maxActive = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();

    onThreads(4, t -> {
      for (int i = 0; i < 100; i++) {
        mailbox.execute(() -> {
          maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
          LockSupport.parkNanos(20_000); // widen the window in which an overlap would show
          active.decrementAndGet();
          done.incrementAndGet();
        });
      }
    });

    eventually().until(() -> done.get() == 400);
    assertThat(maxActive).hasValue(1);
  }

  @Test
  void aHeldMailboxRunsNothingUntilReleasedThenEverythingInOrder() {
    Mailbox mailbox = new Mailbox(true);
    List<String> ran = new CopyOnWriteArrayList<>();
    mailbox.execute(() -> ran.add("a"));
    mailbox.execute(() -> ran.add("b"));

    eventually().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(ran::isEmpty);

    mailbox.execute(() -> ran.add("c"));
    mailbox.release();
    eventually().untilAsserted(() -> assertThat(ran).containsExactly("a", "b", "c"));
  }

  @Test
  void aThrowingTaskDoesNotStopTheTasksAfterIt() {
    Mailbox mailbox = new Mailbox();
    List<String> ran = new CopyOnWriteArrayList<>();
    mailbox.execute(() -> ran.add("before"));
    mailbox.execute(() -> {
      throw new IllegalStateException("task failure");
    });
    mailbox.execute(() -> {
      throw new AssertionError("an Error too");
    });
    mailbox.execute(() -> ran.add("after"));

    eventually().untilAsserted(() -> assertThat(ran).containsExactly("before", "after"));

    mailbox.execute(() -> ran.add("later"));
    eventually().untilAsserted(() -> assertThat(ran).containsExactly("before", "after", "later"));
  }

  /** A drainer ends within microseconds of its last task; two seconds leaves room for a loaded machine. */
  private static ConditionFactory endsSoon() {
    return eventually().atMost(Duration.ofSeconds(2));
  }

  @Test
  void drainsOnAVirtualThreadThatEndsWhenTheMailboxIsIdle() {
    Mailbox mailbox = new Mailbox();
    List<Thread> drainers = new CopyOnWriteArrayList<>();
    mailbox.execute(() -> drainers.add(Thread.currentThread()));
    eventually().until(() -> drainers.size() == 1);

    Thread first = drainers.getFirst();
    assertThat(first.isVirtual()).isTrue();
    assertThat(first.getName()).isEqualTo("cinder-mailbox");
    endsSoon().until(() -> !first.isAlive());

    // New work after idleness gets a fresh thread.
    mailbox.execute(() -> drainers.add(Thread.currentThread()));
    eventually().until(() -> drainers.size() == 2);
    assertThat(drainers.get(1)).isNotSameAs(first);
    endsSoon().until(() -> !drainers.get(1).isAlive());
  }

  @Test
  void manyIdleMailboxesHoldNoThreads() {
    List<Mailbox> mailboxes = IntStream.range(0, 1_000).mapToObj(i -> new Mailbox()).toList();
    List<Thread> drainers = new CopyOnWriteArrayList<>();
    mailboxes.forEach(m -> m.execute(() -> drainers.add(Thread.currentThread())));

    eventually().until(() -> drainers.size() == 1_000);
    endsSoon().untilAsserted(() -> assertThat(drainers).noneMatch(Thread::isAlive));
    // Platform threads are listed here; none may be a mailbox drainer either.
    assertThat(Thread.getAllStackTraces().keySet()).noneMatch(t -> t.getName().equals("cinder-mailbox"));
  }
}
