package dev.cinder.test;

import java.time.Duration;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The time of a {@link ChannelTest}'s channels: {@code sendAfter} timers and the sockets' idle timeout wait on it,
 * and nothing fires until the test {@linkplain #advance advances} it. It starts at zero.
 */
public final class VirtualClock {
  private record Timer(long due, long order, Runnable fire, Supplier<CompletableFuture<Void>> handled) {}

  private final PriorityQueue<Timer> timers =
      new PriorityQueue<>((a, b) -> a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
  private final Duration wait;
  private long now;
  private long scheduled;

  VirtualClock(Duration wait) {
    this.wait = wait;
  }

  /** The virtual time since the clock started. */
  public synchronized Duration elapsed() {
    return Duration.ofNanos(now);
  }

  /** Timers that have not fired yet. */
  public synchronized int pendingTimers() {
    return timers.size();
  }

  /**
   * Moves the time forward by {@code duration}, firing every timer due by then in order of due time. Each fired
   * timer's message is handled (its {@code handleInfo} has returned) before the next one fires, so a timer that a
   * {@code handleInfo} starts fires too if it is due within {@code duration}.
   */
  public void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("a clock cannot go back: " + duration);
    }
    long target;
    synchronized (this) {
      target = now + duration.toNanos();
    }
    while (true) {
      Timer next;
      synchronized (this) {
        next = timers.peek();
        if (next == null || next.due > target) {
          now = target;
          return;
        }
        timers.poll();
        now = next.due;
      }
      fire(next);
    }
  }

  private void fire(Timer timer) {
    try {
      timer.fire.run();
      timer.handled.get().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("a timer fired at " + Duration.ofNanos(timer.due) + " was not handled within " + wait
          + ": is a channel callback stuck?");
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("a timer fired at " + Duration.ofNanos(timer.due) + " failed", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while advancing the clock", e);
    }
  }

  /** Queues {@code fire} to run once the clock has advanced {@code delay} past now; then waits for {@code handled}. */
  synchronized void schedule(Duration delay, Runnable fire, Supplier<CompletableFuture<Void>> handled) {
    timers.add(new Timer(now + Math.max(0, delay.toNanos()), scheduled++, fire, handled));
  }

  /** Queues a check that runs once the clock has advanced {@code delay}, and is done when its future completes. */
  void schedule(Duration delay, Supplier<CompletableFuture<Void>> check) {
    schedule(delay, () -> { }, check);
  }

  /** Forgets every timer (between tests); the time stays. */
  synchronized void clear() {
    timers.clear();
  }
}
