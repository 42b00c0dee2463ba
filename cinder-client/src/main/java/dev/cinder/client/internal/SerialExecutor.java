package dev.cinder.client.internal;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Runs tasks one at a time, in submission order, on a delegate executor: the socket's event loop and the default
 * callback executor. A task that throws is passed to the error handler and does not stop the ones after it.
 */
public final class SerialExecutor implements Executor {
  private final Executor delegate;
  private final ErrorHandler errors;
  private final Queue<Runnable> tasks = new ArrayDeque<>();
  private final ReentrantLock lock = new ReentrantLock();
  private boolean running;

  /** What to do with an exception a task threw. */
  @FunctionalInterface
  public interface ErrorHandler {
    void handle(Throwable error);
  }

  public SerialExecutor(Executor delegate, ErrorHandler errors) {
    this.delegate = delegate;
    this.errors = errors;
  }

  @Override
  public void execute(Runnable task) {
    lock.lock();
    try {
      tasks.add(task);
      if (running) {
        return;
      }
      running = true;
    } finally {
      lock.unlock();
    }
    delegate.execute(this::drain);
  }

  private void drain() {
    // a bounded batch per run, so that one busy socket does not hold a pool thread for ever
    for (int i = 0; i < 256; i++) {
      Runnable task;
      lock.lock();
      try {
        task = tasks.poll();
        if (task == null) {
          running = false;
          return;
        }
      } finally {
        lock.unlock();
      }
      try {
        task.run();
      } catch (Throwable t) {
        try {
          errors.handle(t);
        } catch (Throwable ignored) {
          // the error handler itself failed: nothing left to tell
        }
      }
    }
    delegate.execute(this::drain);
  }
}
