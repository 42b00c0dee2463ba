package dev.cinder.internal.channel;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where {@code sendAfter} waits: the shared timer thread of a server, or a test's virtual clock. A timer only hands
 * a message to a mailbox, it never runs user code.
 */
@FunctionalInterface
public interface Timers {
  /**
   * Runs {@code fire} after {@code delay}. {@code handled} gives what completes once the message it handed over was
   * handled (or dropped): a virtual clock waits for that before firing the next timer; the real one never asks.
   */
  void schedule(Duration delay, Runnable fire, Supplier<CompletableFuture<Void>> handled);

  /** One shared daemon thread for every channel of the process. */
  Timers SHARED = new Timers() {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "cinder-timer");
      t.setDaemon(true);
      return t;
    });

    @Override
    public void schedule(Duration delay, Runnable fire, Supplier<CompletableFuture<Void>> handled) {
      timer.schedule(fire, delay.toNanos(), TimeUnit.NANOSECONDS);
    }
  };
}
