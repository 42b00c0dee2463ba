package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Per-process figures from /proc: resident memory and CPU time of every thread of the process. */
public final class ProcStats {
  /** USER_HZ: Linux reports utime/stime in 1/100 s on x86-64 (getconf CLK_TCK). */
  private static final long TICK_NANOS = 10_000_000L;

  private ProcStats() {}

  /** VmRSS of the process, in KiB. */
  public static long rssKiB(long pid) {
    for (String line : lines(pid, "status").split("\n")) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IllegalStateException("no VmRSS for pid " + pid);
  }

  /** utime + stime of the whole process (all threads), in nanoseconds, at 10 ms resolution. */
  public static long cpuNanos(long pid) {
    long[] t = userAndSystemNanos(pid);
    return t[0] + t[1];
  }

  /** {utime, stime} of the whole process in nanoseconds: stime is the kernel's share (system calls). */
  public static long[] userAndSystemNanos(long pid) {
    String stat = lines(pid, "stat");
    // Fields after the command name, which is in parentheses and may hold spaces: state is field 3.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return new long[] {Long.parseLong(f[11]) * TICK_NANOS, Long.parseLong(f[12]) * TICK_NANOS};
  }

  /** utime + stime in nanoseconds per thread name (threads of one name summed, digits kept: pools differ by them). */
  public static java.util.Map<String, Long> cpuNanosByThread(long pid) {
    java.util.Map<String, Long> out = new java.util.TreeMap<>();
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip();
          String stat = Files.readString(task.resolve("stat"));
          String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          out.merge(name, (Long.parseLong(f[11]) + Long.parseLong(f[12])) * TICK_NANOS, Long::sum);
        } catch (IOException e) {
          // the thread ended while we read it
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("listing the threads of " + pid, e);
    }
    return out;
  }

  /**
   * How many descriptors of the process are {@code anon_inode:[<kind>]}: {@code eventpoll} (an epoll instance per
   * epoll event loop) or {@code io_uring} (rings; an epoll server holds a couple too, so count both).
   */
  public static int anonInodes(long pid, String kind) {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) files.filter(f -> {
        try {
          return Files.readSymbolicLink(f).toString().equals("anon_inode:[" + kind + "]");
        } catch (IOException e) {
          return false; // closed meanwhile
        }
      }).count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The number of open file descriptors of the process. */
  public static int openFiles(long pid) {
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) files.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Threads of the process (the {@code Threads:} line of /proc/PID/status). */
  public static int threads(long pid) {
    for (String line : lines(pid, "status").split("\n")) {
      if (line.startsWith("Threads:")) {
        return Integer.parseInt(line.substring("Threads:".length()).trim());
      }
    }
    throw new IllegalStateException("no Threads line for pid " + pid);
  }

  /**
   * The open descriptors of the process by what they are: {@code socket}, {@code pipe}, {@code anon_inode:[eventpoll]},
   * or the file's path; so that two readings can say which kind grew.
   */
  public static java.util.Map<String, Integer> descriptorKinds(long pid) {
    java.util.Map<String, Integer> out = new java.util.TreeMap<>();
    try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      files.forEach(f -> {
        try {
          String target = Files.readSymbolicLink(f).toString();
          String kind = target.startsWith("socket:") ? "socket" : target.startsWith("pipe:") ? "pipe" : target;
          out.merge(kind, 1, Integer::sum);
        } catch (IOException e) {
          // closed meanwhile
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private static String lines(long pid, String file) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(pid), file));
    } catch (IOException e) {
      throw new UncheckedIOException("reading /proc/" + pid + "/" + file, e);
    }
  }
}
