package dev.cinder.client.internal;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One daemon thread shared by every socket that only keeps time: a due timer hands its task to the executor it
 * was given (a socket's event loop), so nothing runs on this thread.
 */
public final class Timers {
  private static final ScheduledThreadPoolExecutor SCHEDULER = create();

  private Timers() {}

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  public interface Timer {
    void cancel();
  }

  /** Runs {@code task} on {@code executor} after {@code delay}. */
  public static Timer schedule(Duration delay, Executor executor, Runnable task) {
    ScheduledFuture<?> future = SCHEDULER.schedule(() -> executor.execute(task),
        Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
    return () -> future.cancel(false);
  }

  private static ScheduledThreadPoolExecutor create() {
    ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(1, task -> {
      Thread thread = new Thread(task, "cinder-client-timers");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.setRemoveOnCancelPolicy(true);
    return scheduler;
  }
}
