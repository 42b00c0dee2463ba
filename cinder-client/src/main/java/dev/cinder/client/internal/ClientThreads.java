package dev.cinder.client.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every socket of the process shares: daemon threads made on demand and gone after a minute idle.
 * Each socket serializes its work on them with a {@link SerialExecutor}, so a socket uses at most one thread of
 * each pool at a time. Callbacks get their own pool, apart from the event loops: a callback that blocks (a database
 * call) holds one callback thread and delays only its own socket's callbacks, never a loop nor the common pool.
 */
public final class ClientThreads {
  private static final ExecutorService LOOPS = pool("cinder-client-loop-");
  private static final ExecutorService CALLBACKS = pool("cinder-client-callbacks-");

  private ClientThreads() {}

  /** Where sockets' event loops run; their tasks never block. */
  public static ExecutorService loops() {
    return LOOPS;
  }

  /** Where the default callback executors run user callbacks. */
  public static ExecutorService callbacks() {
    return CALLBACKS;
  }

  private static ExecutorService pool(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }
}
