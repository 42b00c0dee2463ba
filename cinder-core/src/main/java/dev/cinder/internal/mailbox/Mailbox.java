package dev.cinder.internal.mailbox;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A serial executor: tasks run one at a time, in submission order, on a virtual thread that exists only
 * while there is work. An idle mailbox is a queue and a flag, no thread — the cost of an idle channel.
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

  private void drain() {
    try {
      Runnable task;
      while ((task = tasks.poll()) != null) {
        try {
          task.run();
        } catch (Throwable t) {
          // Tasks handle their own failures; this only guards the mailbox itself.
          log.error("mailbox task failed", t);
        }
      }
    } finally {
      running.set(false);
    }
    // A task added after the last poll but before the flag was cleared would otherwise wait forever.
    schedule();
  }
}
