package dev.cinder.bench.runner;

import org.HdrHistogram.Histogram;

/** What one server measured at one scale in one run; filled in scenario by scenario. */
public final class Figures {
  /** The column this belongs to: a server ("Cinder", "baseline", "Cinder io_uring") or a case ("long-poll"). */
  public final String label;
  public final int scale;

  // connect and join
  public int requested;
  public int joined;
  public String refusals = "";
  public double secondsToAll;
  public Histogram join = new Histogram(3);
  public long rssIdleKiB;
  public long rssJoinedKiB;
  public long liveHeapIdleBytes;
  public long liveHeapJoinedBytes;
  public int openFiles;
  /** Server cores used with every socket joined and only heartbeats coming in. */
  public double idleCores;

  // fan-out, as fast as possible, in rounds that alternate between the servers
  public record Burst(double deliveriesPerSecond, double cpuMicrosPerDelivery, double generatorCpuMicrosPerDelivery,
      double systemShare) {}

  public final java.util.List<Burst> burstRounds = new java.util.ArrayList<>();
  public long burstDeliveries;
  public long burstLost;
  public int publishFailures;

  // fan-out at half the maximum rate; the latency run may come in rounds, which add up here
  public double maxSustainedMessagesPerSecond;
  public double halfRateMessagesPerSecond;
  public long pacedDeliveries;
  public long pacedLost;
  public long pacedCpuNanos;
  public double pacedCpuMicrosPerDelivery;
  /** Server CPU per delivery in each round of the latency run, in order. */
  public final java.util.List<Double> pacedRoundMicros = new java.util.ArrayList<>();
  public Histogram latency = new Histogram(3);

  // echo
  public long echoOk;
  public long echoBad;
  public double echoPerSecond;
  public Histogram echoRtt = new Histogram(3);

  // whole run
  public long duplicates;
  /** Deliveries (burst and paced) whose ref was a history position, as on a topic that keeps a history. */
  public long positioned;
  public long heartbeatReplies;
  // long-poll only: GET answers that carried messages, the messages they carried, GETs answered 204
  public long pollsWithMessages;
  public long polledMessages;
  public long emptyPolls;
  public long badFrames;
  public String badSamples = "";
  public long unexpectedCloses;

  Figures(String label, int scale) {
    this.label = label;
    this.scale = scale;
  }

  /** Median over the burst rounds. */
  public double deliveriesPerSecond() {
    return median(Burst::deliveriesPerSecond);
  }

  public double cpuMicrosPerDelivery() {
    return median(Burst::cpuMicrosPerDelivery);
  }

  /** The kernel's share of the server's CPU during the bursts (system calls: writev, epoll, eventfd). */
  public double systemShare() {
    return median(Burst::systemShare);
  }

  public double generatorCpuMicrosPerDelivery() {
    return median(Burst::generatorCpuMicrosPerDelivery);
  }

  private double median(java.util.function.ToDoubleFunction<Burst> value) {
    double[] v = burstRounds.stream().mapToDouble(value).sorted().toArray();
    return v.length == 0 ? Double.NaN : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  /** Live Java heap growth per joined socket, KiB: exact, from the class histograms after full GCs. */
  public double heapKibPerSocket() {
    return joined == 0 ? Double.NaN : (liveHeapJoinedBytes - liveHeapIdleBytes) / 1024.0 / joined;
  }

  /**
   * RSS growth per joined socket, KiB, as an operator reads {@code ps}: settled RSS with N sockets joined minus
   * settled RSS at idle (after the warm-up), divided by N. Everything the process holds counts: the heap the collector
   * keeps committed under the server's own flags, direct buffers, native memory.
   */
  public double kibPerSocket() {
    return joined == 0 ? Double.NaN : (rssJoinedKiB - rssIdleKiB) / (double) joined;
  }
}
