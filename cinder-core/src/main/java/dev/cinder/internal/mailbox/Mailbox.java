package dev.cinder.internal.mailbox;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor: tasks run one at a time, in submission order, on a virtual thread that exists only
 * while there is work. An idle mailbox is a queue and a flag, no thread — the cost of an idle channel.
 *
 * <p>{@link #runInline} runs a task on the caller's thread instead, when the mailbox is idle: the one flag
 * that serialises the virtual thread's tasks serialises it too, so order and memory visibility are the same
 * whichever thread ran a task.
 */
public final class Mailbox {
  private static final Logger log = LoggerFactory.getLogger(Mailbox.class);
  private static final Thread.Builder THREADS = Thread.ofVirtual().name("cinder-mailbox");

  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile boolean held;

  /** A mailbox that starts running tasks at once. */
  public Mailbox() {
    this(false);
  }

  /** A mailbox that queues tasks but runs none until {@link #release()} when {@code held}. */
  public Mailbox(boolean held) {
    this.held = held;
  }

  public void execute(Runnable task) {
    tasks.add(task);
    schedule();
  }

  /**
   * Runs {@code task} on the calling thread, now, if the mailbox is idle — released, nothing queued, no task
   * running — and returns true; otherwise runs nothing and returns false (the caller then {@link #execute}s it,
   * behind the work already there). Tasks queued while it ran get their virtual thread after it.
   */
  public boolean runInline(Runnable task) {
    if (held || !tasks.isEmpty() || !running.compareAndSet(false, true)) {
      return false;
    }
    try {
      runGuarded(task);
    } finally {
      running.set(false);
    }
    schedule();
    return true;
  }

  /** Starts running queued tasks of a held mailbox. */
  public void release() {
    held = false;
    schedule();
  }

  private void schedule() {
    if (!held && !tasks.isEmpty() && running.compareAndSet(false, true)) {
      THREADS.start(this::drain);
    }
  }

  /** Tasks handle their own failures; this only guards the mailbox itself. */
  private static void runGuarded(Runnable task) {
    try {
      task.run();
    } catch (Throwable t) {
      log.error("mailbox task failed", t);
    }
  }

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        runGuarded(task);
      }
    } finally {
      running.set(false);
    }
    // A task added after the last poll but before the flag was cleared would otherwise wait forever.
    schedule();
  }
}
