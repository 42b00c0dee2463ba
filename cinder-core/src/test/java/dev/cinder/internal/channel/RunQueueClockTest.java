package dev.cinder.internal.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The thread's wait for a CPU, read from Linux's scheduler statistics (the machines Cinder is tested on). */
class RunQueueClockTest {
  @Test
  void readsTheSecondFieldOfSchedstat() {
    assertThat(RunQueueClock.secondField("5797674 553563 2\n")).isEqualTo(553_563);
    assertThat(RunQueueClock.secondField("42")).isEqualTo(RunQueueClock.UNKNOWN);
  }

  /** More busy threads than cores: each of them, the measured one too, waits its turn for a CPU. */
  @Test
  void growsWhileTheThreadIsRunnableButOthersHaveTheCores() throws InterruptedException {
    int cores = Runtime.getRuntime().availableProcessors();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> spinners = new ArrayList<>();
    for (int i = 0; i < cores + 1; i++) {
      spinners.add(Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          Thread.onSpinWait();
        }
      }));
    }
    AtomicLong waited = new AtomicLong();
    Thread measured = Thread.ofPlatform().start(() -> {
      long before = RunQueueClock.waitedNanos();
      long end = System.nanoTime() + 500_000_000L;
      while (System.nanoTime() < end) {
        Thread.onSpinWait();
      }
      long after = RunQueueClock.waitedNanos();
      waited.set(before == RunQueueClock.UNKNOWN || after == RunQueueClock.UNKNOWN ? RunQueueClock.UNKNOWN : after - before);
    });
    measured.join();
    stop.set(true);
    for (Thread t : spinners) {
      t.join();
    }
    assertThat(waited.get()).as("ns waited for a CPU over 500 ms with %d threads spinning on %d cores", cores + 1, cores)
        .isGreaterThan(10_000_000L);
  }

  @Test
  void isUnknownOnAVirtualThread() throws InterruptedException {
    AtomicLong waited = new AtomicLong();
    Thread.ofVirtual().start(() -> waited.set(RunQueueClock.waitedNanos())).join();
    assertThat(waited.get()).isEqualTo(RunQueueClock.UNKNOWN);
  }
}
