package dev.cinder.bench.runner;

import java.util.List;

/** CPU time of the process(es) that serve a scenario: one server, or two nodes and their Redis. */
@FunctionalInterface
public interface CpuMeter {
  /** {utime, stime} in nanoseconds, summed over the processes. */
  long[] userAndSystemNanos();

  default long nanos() {
    long[] t = userAndSystemNanos();
    return t[0] + t[1];
  }

  static CpuMeter ofPid(long pid) {
    return () -> ProcStats.userAndSystemNanos(pid);
  }

  static CpuMeter sum(List<CpuMeter> meters) {
    return () -> {
      long[] total = new long[2];
      for (CpuMeter m : meters) {
        long[] t = m.userAndSystemNanos();
        total[0] += t[0];
        total[1] += t[1];
      }
      return total;
    };
  }
}
