package dev.cinder.internal.presence;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One shared daemon timer thread for every tracker and diff batcher of the JVM. Its tasks only hand work to a
 * mailbox, so no tracker logic or user code ever runs (or blocks) on it.
 */
public final class PresenceTimer {
  private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cinder-presence-timer");
    t.setDaemon(true);
    return t;
  });

  private PresenceTimer() {}

  public static ScheduledFuture<?> after(long delayNanos, Runnable task) {
    return TIMER.schedule(task, delayNanos, TimeUnit.NANOSECONDS);
  }

  public static ScheduledFuture<?> every(long initialDelayNanos, long periodNanos, Runnable task) {
    return TIMER.scheduleAtFixedRate(task, initialDelayNanos, periodNanos, TimeUnit.NANOSECONDS);
  }
}
