package dev.cinder.offload;

import dev.cinder.ChannelContext;
import dev.cinder.internal.LogSafe;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a channel's heavy work on virtual threads, off the channel, so the channel keeps answering its client
 * meanwhile; the outcome comes back as a {@link JobResult} message to the channel's {@code handleInfo}
 * ({@link #submit}), or as a broadcast to the channel's topic ({@link #submitAndBroadcast}).
 *
 * <p>Bounded: at most {@code maxConcurrent} jobs run at once in all, {@code maxPerChannel} per channel, and, when
 * set, {@code maxPerKey} per key (e.g. per user, all its channels and sockets together, so that one client cannot
 * take every slot); a job over any bound is refused at once ({@link Admission}), never queued, so the caller can
 * answer "busy". A job
 * running longer than {@code timeout} is interrupted and reported failed. Failures are never lost: each is
 * logged and delivered as {@link JobResult.Failed}. The outcome of a job whose channel has ended meanwhile is
 * dropped, like any message to an ended channel; a broadcast still goes out.
 *
 * <pre>{@code
 * static final Offloader JOBS = Offloader.builder().maxConcurrent(64).maxPerChannel(2).build();
 *
 * case "resize" -> {
 *   ctx.reply(ctx.replyRef(), Reply.ok(Map.of("accepted", true)));   // reply first: the job may finish at once
 *   if (!JOBS.submit(ctx, "resize", () -> images.resize(payload)).accepted()) { ...busy... }
 *   yield Reply.none();
 * }
 * }</pre>
 */
public final class Offloader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Offloader.class);
  private static final Thread.Builder THREADS = Thread.ofVirtual().name("cinder-offload-", 0);
  private static final ScheduledThreadPoolExecutor TIMEOUTS = timeoutThread();

  private final int maxConcurrent;
  private final int maxPerChannel;
  private final int maxPerKey;
  private final Function<ChannelContext, ?> keyOf;
  private final Duration timeout;
  private final Semaphore permits;
  private final ConcurrentHashMap<ChannelContext, Integer> perChannel = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Object, Integer> perKey = new ConcurrentHashMap<>();
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private Offloader(Builder b) {
    this.maxConcurrent = b.maxConcurrent;
    this.maxPerChannel = b.maxPerChannel;
    this.maxPerKey = b.maxPerKey;
    this.keyOf = b.keyOf;
    this.timeout = b.timeout;
    this.permits = new Semaphore(b.maxConcurrent);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Runs {@code work} on a virtual thread; its value arrives in the channel's {@code handleInfo} as
   * {@link JobResult.Completed}, its exception as {@link JobResult.Failed}, both carrying {@code tag}.
   */
  public Admission submit(ChannelContext ctx, Object tag, Callable<?> work) {
    return start(ctx, tag, work, value -> ctx.send(new JobResult.Completed(tag, value)));
  }

  /**
   * Runs {@code work} on a virtual thread and broadcasts its value (a map, record or Payload) as {@code event}
   * to the channel's topic; a failure arrives in {@code handleInfo} as {@link JobResult.Failed} tagged with the
   * event name.
   */
  public Admission submitAndBroadcast(ChannelContext ctx, String event, Callable<?> work) {
    Objects.requireNonNull(event, "event");
    return start(ctx, event, work, value -> ctx.broadcast(event, value));
  }

  private Admission start(ChannelContext ctx, Object tag, Callable<?> work, Consumer<Object> onValue) {
    Objects.requireNonNull(ctx, "ctx");
    Objects.requireNonNull(work, "work");
    if (closed) {
      return Admission.CLOSED;
    }
    if (!admit(perChannel, ctx, maxPerChannel)) {
      return Admission.CHANNEL_BUSY;
    }
    Object key = keyOf == null ? null : keyOf.apply(ctx);
    if (key != null && !admit(perKey, key, maxPerKey)) {
      release(perChannel, ctx);
      return Admission.KEY_BUSY;
    }
    if (!permits.tryAcquire()) {
      release(perChannel, ctx);
      if (key != null) {
        release(perKey, key);
      }
      return Admission.BUSY;
    }
    Job job = new Job(ctx, key, tag, work, onValue);
    Thread thread = THREADS.unstarted(job);
    job.thread = thread;
    running.add(thread);
    thread.start();
    return Admission.ACCEPTED;
  }

  /** Counts one more job of {@code owner} unless it already runs {@code max}. */
  private static <K> boolean admit(ConcurrentHashMap<K, Integer> counts, K owner, int max) {
    boolean[] admitted = new boolean[1];
    counts.compute(owner, (k, n) -> {
      int count = n == null ? 0 : n;
      admitted[0] = count < max;
      return admitted[0] ? count + 1 : n;
    });
    return admitted[0];
  }

  private static <K> void release(ConcurrentHashMap<K, Integer> counts, K owner) {
    counts.computeIfPresent(owner, (k, n) -> n <= 1 ? null : n - 1);
  }

  /** Jobs running now, all channels together. */
  public int running() {
    return maxConcurrent - permits.availablePermits();
  }

  /** Jobs the channel runs now. */
  public int running(ChannelContext ctx) {
    return perChannel.getOrDefault(ctx, 0);
  }

  /** Jobs of a key (as {@link Builder#maxPerKey} computes it, e.g. a user id) running now. */
  public int runningForKey(Object key) {
    return key == null ? 0 : perKey.getOrDefault(key, 0);
  }

  /** Refuses new jobs and interrupts the running ones (each is reported failed). */
  @Override
  public void close() {
    closed = true;
    running.forEach(Thread::interrupt);
  }

  /** One job: runs the work, reports exactly once (value, failure or timeout), then frees its permits. */
  private final class Job implements Runnable {
    private final ChannelContext ctx;
    private final Object key;
    private final Object tag;
    private final Callable<?> work;
    private final Consumer<Object> onValue;
    private final AtomicBoolean reported = new AtomicBoolean();
    private volatile Thread thread;

    Job(ChannelContext ctx, Object key, Object tag, Callable<?> work, Consumer<Object> onValue) {
      this.ctx = ctx;
      this.key = key;
      this.tag = tag;
      this.work = work;
      this.onValue = onValue;
    }

    @Override
    public void run() {
      ScheduledFuture<?> timer = TIMEOUTS.schedule(this::timedOut, timeout.toNanos(), TimeUnit.NANOSECONDS);
      try {
        Object value = work.call();
        if (reported.compareAndSet(false, true)) {
          try {
            onValue.accept(value);
          } catch (RuntimeException e) { // e.g. a value that cannot be encoded as JSON
            report(e);
          }
        }
      } catch (Throwable e) {
        fail(e);
      } finally {
        timer.cancel(false);
        running.remove(thread);
        permits.release();
        release(perChannel, ctx);
        if (key != null) {
          release(perKey, key);
        }
      }
    }

    private void timedOut() {
      fail(new TimeoutException("offloaded work " + LogSafe.clip(tag) + " ran longer than " + timeout));
      thread.interrupt(); // the permits stay taken until the work really stops
    }

    /** Reports the first outcome only: after a timeout, the interrupted work's own exception is noise. */
    private void fail(Throwable error) {
      if (reported.compareAndSet(false, true)) {
        report(error);
      }
    }

    private void report(Throwable error) {
      log.warn("offloaded work {} of {} failed", LogSafe.clip(tag), LogSafe.clip(ctx.topic()), error);
      ctx.send(new JobResult.Failed(tag, error));
    }
  }

  private static ScheduledThreadPoolExecutor timeoutThread() {
    ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
      Thread t = new Thread(r, "cinder-offload-timeouts");
      t.setDaemon(true);
      return t;
    });
    executor.setRemoveOnCancelPolicy(true); // finished jobs must not leave their timeouts queued
    return executor;
  }

  /** Builds an {@link Offloader}: by default 256 jobs at once, 4 per channel, no bound per key, 60 s each. */
  public static final class Builder {
    private int maxConcurrent = 256;
    private int maxPerChannel = 4;
    private int maxPerKey;
    private Function<ChannelContext, ?> keyOf;
    private Duration timeout = Duration.ofSeconds(60);

    private Builder() {}

    public Builder maxConcurrent(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxConcurrent must be at least 1, got " + value);
      }
      this.maxConcurrent = value;
      return this;
    }

    public Builder maxPerChannel(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("maxPerChannel must be at least 1, got " + value);
      }
      this.maxPerChannel = value;
      return this;
    }

    /**
     * At most {@code max} jobs at once per key, all channels together: {@code maxPerKey(8, ctx ->
     * ctx.assigns().get("user_id"))} gives each user a share however many rooms or sockets it has. A job over it
     * is refused with {@link Admission#KEY_BUSY}; a channel whose key is null is not bounded this way. The key
     * needs value-based equality (a String, a record). Default: no bound per key.
     */
    public Builder maxPerKey(int max, Function<ChannelContext, ?> key) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPerKey must be at least 1, got " + max);
      }
      this.maxPerKey = max;
      this.keyOf = Objects.requireNonNull(key, "key");
      return this;
    }

    public Builder timeout(Duration value) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("timeout must be positive, got " + value);
      }
      this.timeout = value;
      return this;
    }

    public Offloader build() {
      return new Offloader(this);
    }
  }
}
