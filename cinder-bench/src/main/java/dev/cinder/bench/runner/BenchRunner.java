package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@link Profile}. Both servers run side by side, each with its own generator JVMs, and every phase
 * alternates between them (baseline, Cinder, baseline, …): on a shared, noisy machine the two then see the same
 * weather, which is what makes their ratio meaningful. One server is busy at a time; the other idles.
 */
public final class BenchRunner {
  private final Profile profile;
  private final Path runDir;
  private final int rounds;

  public BenchRunner(Profile profile, Path baseDir) {
    this(profile, baseDir, 3);
  }

  /**
   * {@code rounds} ({@code --rounds}, 3 by default): burst rounds per scale, the median reported, and rounds of the
   * paced latency run, added up.
   */
  public BenchRunner(Profile profile, Path baseDir, int rounds) {
    this.rounds = rounds;
    this.profile = profile;
    this.runDir = runDir(baseDir, profile.name());
  }

  /** {@code <base>/<name>-<yyyyMMdd-HHmmss>}, created. */
  static Path runDir(Path baseDir, String name) {
    Path dir = baseDir.resolve(name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return dir;
  }

  public String run() {
    long start = System.nanoTime();
    List<Target> targets = new ArrayList<>();
    JsonNode presence = null;
    List<String> rings = new ArrayList<>();
    try {
      for (ServerSpec spec : profile.servers()) {
        targets.add(new Target(spec, profile, freePort(), targets.size() * profile.generators(), runDir));
        Server s = targets.getLast().server;
        rings.add(Report.fmt("%s %d epoll + %d io_uring", spec.label(), ProcStats.anonInodes(s.pid(), "eventpoll"),
            ProcStats.anonInodes(s.pid(), "io_uring")));
        log("%s server pid %d on port %d; instances open: %s", spec.label(), s.pid(), s.port, rings.getLast());
      }
      measure(targets);
      for (Target t : targets) {
        if (t.kind() == Server.Kind.CINDER && profile.presenceJoins() > 0) {
          t.scenarios.closeAll();
          log("CINDER: presence join storm of %d sockets", profile.presenceJoins());
          presence = t.scenarios.presence(profile.presenceJoins(), 500);
        }
      }
    } finally {
      targets.forEach(Target::close);
    }
    List<Figures> all = targets.stream().flatMap(t -> t.figures.stream()).toList();
    List<String> labels = profile.servers().stream().map(ServerSpec::label).toList();
    List<String> compared = labels.stream().filter(l -> !l.equals(Profile.BEFORE)).toList();
    Report report = compared.equals(List.of("baseline", "Cinder")) ? new Report(all)
        : new Report(all, compared.getLast(), compared.getFirst(), false);
    if (labels.contains(Profile.BEFORE)) {
      report.add("");
      report.add("This build beside the build given by --before, in the same run:");
      report.add("");
      report.add(new Report(all, "Cinder", Profile.BEFORE, false).toString());
    }
    if (presence != null || profile.presenceJoins() > 0) {
      report.add("");
      report.add(Presence.describe(presence));
    }
    report.add("");
    report.add("epoll and io_uring instances each server holds after start (which transport it runs on): "
        + String.join("; ", rings));
    report.add("");
    report.add(Report.fmt("Profile %s: %d generator JVM(s) per server, %d rounds of bursts and of the latency run; run took %.0f s; logs in %s",
        profile.name(), profile.generators(), rounds, (System.nanoTime() - start) / 1e9, runDir));
    String text = report.toString();
    write(runDir.resolve("results.md"), text);
    return text;
  }

  private void measure(List<Target> targets) {
    each(targets, this::warmUp);
    each(targets, t -> {
      Server.Settled idle = t.server.settle(Duration.ofSeconds(60),
          Snapshots.classHistogram(profile.classHistograms(), t.server, runDir, 0));
      t.idleLiveHeapBytes = idle.liveHeapBytes();
      t.idleRssKiB = idle.rssKiB();
    });
    for (int scale : profile.scales()) {
      each(targets, t -> {
        Figures f = new Figures(t.label(), scale);
        f.rssIdleKiB = t.idleRssKiB;
        f.liveHeapIdleBytes = t.idleLiveHeapBytes;
        int already = t.joined();
        t.figures.add(f);
        log("%s: connecting up to %,d sockets", t.label(), scale);
        t.scenarios.connect(f, already, profile.connectsPerSecond());
        log("%s: %,d joined in %.1f s; RSS %d → %d KiB", t.label(), f.joined, f.secondsToAll, f.rssIdleKiB, f.rssJoinedKiB);
      });
      boolean last = scale == profile.scales().getLast();
      for (int round = 0; round < rounds; round++) {
        boolean jfr = profile.jfr() && last && round == rounds - 1;
        each(targets, t -> burst(t, jfr && t.kind() == Server.Kind.CINDER));
      }
      each(targets, t -> t.scenarios.sweep(t.current(), Math.max(3, profile.pacedSeconds() / 2), profile.sweepSteps()));
      // Every server's latency run at one rate, half the lowest of their max sustained rates: CPU per delivery
      // depends on the rate (a slower run spreads the same idle costs over fewer deliveries), so servers are
      // compared at the same load. It comes in rounds that alternate between the servers, as the bursts do: the
      // machine's load drifts between two runs of a few seconds by as much as the servers differ.
      double latencyRate = targets.stream().mapToDouble(t -> t.current().maxSustainedMessagesPerSecond).min().orElse(1) / 2;
      for (int round = 0; round < rounds; round++) {
        int r = round + 1;
        each(targets, t -> {
          t.scenarios.latencyRun(t.current(), latencyRate, profile.pacedSeconds());
          log("%s: paced at %.1f msg/s, round %d: %.2f µs CPU per delivery; so far p99 %s ms, %d lost", t.label(),
              latencyRate, r, t.current().pacedRoundMicros.getLast(), Report.ms(t.current().latency, 99),
              t.current().pacedLost);
        });
      }
      each(targets, t -> Jfr.record(profile.jfr() && last && t.kind() == Server.Kind.CINDER ? t.server : null, runDir,
          "echo", () -> t.scenarios.echo(t.current(), profile.echoSockets(), profile.echoSeconds())));
      each(targets, t -> t.scenarios.stats(t.current()));
    }
  }

  private void burst(Target t, boolean jfr) {
    Jfr.record(jfr ? t.server : null, runDir, "fanout", () -> t.scenarios.burst(t.current(), profile.burstMessages()));
    Figures.Burst r = t.current().burstRounds.getLast();
    log("%s: burst %,.0f deliveries/s, %.2f µs server CPU each (generators %.2f µs)", t.label(),
        r.deliveriesPerSecond(), r.cpuMicrosPerDelivery(), r.generatorCpuMicrosPerDelivery());
  }

  /**
   * JIT warm-up, the same for both servers: a few hundred sockets join, take fan-out and echo traffic, and leave
   * again, measured into a discarded figure, before the idle RSS is read.
   */
  private void warmUp(Target t) {
    log("%s: warm-up", t.label());
    Figures scratch = new Figures(t.label(), Math.min(500, profile.scales().getFirst()));
    t.scenarios.connect(scratch, 0, profile.connectsPerSecond());
    t.scenarios.burst(scratch, profile.burstMessages());
    t.scenarios.echo(scratch, profile.echoSockets(), Math.min(3, profile.echoSeconds()));
    t.scenarios.closeAll();
  }

  private static void each(List<Target> targets, Consumer<Target> phase) {
    targets.forEach(phase);
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void write(Path file, String text) {
    try {
      Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void log(String format, Object... args) {
    System.err.println("[bench] " + Report.fmt(format, args));
  }
}
