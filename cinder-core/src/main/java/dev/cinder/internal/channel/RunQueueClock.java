package dev.cinder.internal.channel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * How long the calling thread has waited, runnable, for a CPU: the second field of Linux's
 * {@code /proc/thread-self/schedstat} ({@code run_delay}, nanoseconds). A call that took long on the wall clock while
 * this grew by as much was held up by the OS giving its core to other threads, not by anything it did itself.
 *
 * <p>Each reading costs a system call (about 2 µs), so callers read it only around calls they already suspect.
 * Each platform thread opens the file once, as it names the thread that opened it. Where there is no such file
 * (not Linux, or a kernel without scheduler statistics), {@link #waitedNanos} answers {@link #UNKNOWN}.
 */
final class RunQueueClock {
  static final long UNKNOWN = -1;
  private static final Path SCHEDSTAT = Path.of("/proc/thread-self/schedstat");
  private static final ThreadLocal<RunQueueClock> PER_THREAD = ThreadLocal.withInitial(RunQueueClock::open);

  private final FileChannel file; // null: not available on this thread
  private final ByteBuffer buffer = ByteBuffer.allocate(96);

  private RunQueueClock(FileChannel file) {
    this.file = file;
  }

  private static RunQueueClock open() {
    try {
      return new RunQueueClock(FileChannel.open(SCHEDSTAT));
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return new RunQueueClock(null);
    }
  }

  /**
   * The calling thread's total wait for a CPU so far, in nanoseconds, or {@link #UNKNOWN}; always unknown on a
   * virtual thread, whose carrier may change between two readings.
   */
  static long waitedNanos() {
    return Thread.currentThread().isVirtual() ? UNKNOWN : PER_THREAD.get().read();
  }

  private long read() {
    if (file == null) {
      return UNKNOWN;
    }
    try {
      buffer.clear();
      file.read(buffer, 0);
      return secondField(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  /** The second of the space-separated numbers ({@code "cpu_time run_delay timeslices"}), or {@link #UNKNOWN}. */
  static long secondField(String schedstat) {
    String[] fields = schedstat.strip().split(" ");
    return fields.length < 2 ? UNKNOWN : Long.parseLong(fields[1]);
  }
}
