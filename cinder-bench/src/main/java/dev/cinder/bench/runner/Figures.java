package dev.cinder.bench.runner;

import org.HdrHistogram.Histogram;

/** What one server measured at one scale in one run; filled in scenario by scenario. */
public final class Figures {
  public final Server.Kind kind;
  public final int scale;

  // connect and join
  public int requested;
  public int joined;
  public String refusals = "";
  public double secondsToAll;
  public Histogram join = new Histogram(3);
  public long rssIdleKiB;
  public long rssJoinedKiB;
  public int openFiles;

  // fan-out, as fast as possible
  public long burstDeliveries;
  public long burstLost;
  public double deliveriesPerSecond;
  public double cpuMicrosPerDelivery;
  public int publishFailures;

  // fan-out at half the maximum rate
  public double halfRateMessagesPerSecond;
  public long pacedDeliveries;
  public long pacedLost;
  public Histogram latency = new Histogram(3);

  // echo
  public long echoOk;
  public long echoBad;
  public double echoPerSecond;
  public Histogram echoRtt = new Histogram(3);

  // whole run
  public long duplicates;
  public long heartbeatReplies;
  public long badFrames;
  public String badSamples = "";
  public long unexpectedCloses;

  Figures(Server.Kind kind, int scale) {
    this.kind = kind;
    this.scale = scale;
  }

  /** RSS growth per joined socket, KiB. */
  public double kibPerSocket() {
    return joined == 0 ? Double.NaN : (rssJoinedKiB - rssIdleKiB) / (double) joined;
  }
}
