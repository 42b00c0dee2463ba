package dev.cinder.internal.channel;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** One shared timer thread for {@code sendAfter}: it only hands messages to mailboxes, never runs user code. */
final class Timers {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cinder-timer");
    t.setDaemon(true);
    return t;
  });

  private Timers() {}

  static void schedule(Runnable task, Duration delay) {
    TIMER.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }
}
