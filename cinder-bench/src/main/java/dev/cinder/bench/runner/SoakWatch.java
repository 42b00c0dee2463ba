package dev.cinder.bench.runner;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Watches the server while the soak runs: every 20 s a line in the runner's log (the gauges, RSS, open files,
 * CPU) and the peak of each, for the report.
 */
final class SoakWatch {
  private final Server server;
  private final Thread thread;
  private final Map<String, Long> peaks = new LinkedHashMap<>();
  private volatile boolean stopped;

  private SoakWatch(Server server) {
    this.server = server;
    this.thread = Thread.ofPlatform().daemon().name("soak-watch").unstarted(this::loop);
  }

  static SoakWatch start(Server server) {
    SoakWatch w = new SoakWatch(server);
    w.thread.start();
    return w;
  }

  private void loop() {
    long begin = System.nanoTime();
    long cpu = server.nanos();
    long wall = begin;
    while (!stopped) {
      try {
        Thread.sleep(20_000);
      } catch (InterruptedException e) {
        return;
      }
      try {
        ServerMetrics m = ServerMetrics.scrape(server.port);
        long rss = server.rssKiB() / 1024;
        long files = ProcStats.openFiles(server.pid());
        long cpuNow = server.nanos();
        long now = System.nanoTime();
        synchronized (peaks) {
          ServerMetrics.GAUGES.forEach(g -> peaks.merge(g, m.gauge(g), Math::max));
          peaks.merge("RSS (MiB)", rss, Math::max);
          peaks.merge("open files", files, Math::max);
        }
        BenchRunner.log("soak %3.0f s: %s; RSS %d MiB; %d open files; server CPU %.0f%% of a core", (now - begin) / 1e9,
            m.gauges(), rss, files, 100.0 * (cpuNow - cpu) / (now - wall));
        cpu = cpuNow;
        wall = now;
      } catch (RuntimeException e) {
        BenchRunner.log("soak watch: %s", e);
      }
    }
  }

  void stop() {
    stopped = true;
    thread.interrupt();
  }

  Map<String, Long> peaks() {
    synchronized (peaks) {
      return new LinkedHashMap<>(peaks);
    }
  }
}
