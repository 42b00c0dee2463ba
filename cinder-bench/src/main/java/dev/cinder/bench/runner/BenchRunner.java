package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Runs a {@link Profile}: for each server (baseline first, then Cinder), starts the server JVM and the generator
 * JVMs, climbs through the scales measuring connect, fan-out and echo at each, runs the presence storm on
 * Cinder, stops every process, and prints the table (also saved under {@code target/bench-runs/}).
 */
public final class BenchRunner {
  private final Profile profile;
  private final Path runDir;

  public BenchRunner(Profile profile, Path baseDir) {
    this.profile = profile;
    this.runDir = baseDir.resolve(profile.name() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
  }

  public String run() {
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long start = System.nanoTime();
    List<Figures> all = new ArrayList<>();
    JsonNode presence = null;
    for (Server.Kind kind : profile.servers()) {
      List<String> extra = new ArrayList<>();
      try (Server server = Server.start(kind, freePort(), runDir, extra)) {
        log("%s server pid %d on port %d", kind, server.pid(), server.port);
        List<GeneratorProcess> generators = new ArrayList<>();
        try {
          for (int i = 0; i < profile.generators(); i++) {
            generators.add(GeneratorProcess.start(i, server, profile.sourcesPerGenerator(), 1, runDir));
          }
          presence = measure(kind, server, generators, all, presence);
        } finally {
          generators.forEach(GeneratorProcess::close);
        }
      }
    }
    Report report = new Report(all);
    report.add("");
    report.add(presenceLine(presence));
    report.add("");
    report.add(Report.fmt("Profile %s, %d generator process(es), run took %.0f s; logs in %s", profile.name(),
        profile.generators(), (System.nanoTime() - start) / 1e9, runDir));
    String text = report.toString();
    write(runDir.resolve("results.md"), text);
    return text;
  }

  private JsonNode measure(Server.Kind kind, Server server, List<GeneratorProcess> generators, List<Figures> all,
      JsonNode presence) {
    Scenarios scenarios = new Scenarios(server, generators);
    server.settle(java.time.Duration.ofSeconds(3));
    long idle = server.rssKiB();
    int joined = 0;
    for (int scale : profile.scales()) {
      Figures f = new Figures(kind, scale);
      f.rssIdleKiB = idle;
      log("%s: connecting up to %,d sockets", kind, scale);
      scenarios.connect(f, joined, profile.connectsPerSecond());
      joined = f.joined;
      log("%s: %,d joined in %.1f s; RSS %d → %d KiB", kind, f.joined, f.secondsToAll, idle, f.rssJoinedKiB);
      boolean jfr = profile.jfr() && kind == Server.Kind.CINDER && scale == profile.scales().getLast();
      if (jfr) {
        server.jcmd("JFR.start", "name=fanout", "settings=profile");
      }
      scenarios.burst(f, profile.burstMessages());
      if (jfr) {
        Path file = runDir.resolve("cinder-fanout.jfr");
        server.jcmd("JFR.stop", "name=fanout", "filename=" + file);
        log("JFR recording of the Cinder fan-out: %s", file);
      }
      log("%s: burst %,.0f deliveries/s, %.2f µs CPU each, %d lost", kind, f.deliveriesPerSecond,
          f.cpuMicrosPerDelivery, f.burstLost);
      scenarios.paced(f, profile.pacedSeconds());
      log("%s: paced at %.1f msg/s, p99 %s ms, %d lost", kind, f.halfRateMessagesPerSecond, Report.ms(f.latency, 99),
          f.pacedLost);
      scenarios.echo(f, profile.echoSockets(), profile.echoSeconds());
      scenarios.stats(f);
      all.add(f);
    }
    if (kind == Server.Kind.CINDER && profile.presenceJoins() > 0) {
      scenarios.closeAll();
      log("%s: presence join storm of %d sockets", kind, profile.presenceJoins());
      return scenarios.presence(profile.presenceJoins(), 500);
    }
    return presence;
  }

  private static String presenceLine(JsonNode p) {
    if (p == null) {
      return "Presence join storm: not run.";
    }
    int requested = p.get("requested").asInt();
    int unmatched = p.get("refused").path("unmatched topic").asInt(0);
    if (unmatched > 0) {
      return Report.fmt("Presence join storm (Cinder, bench_presence:storm): %d of %d joins refused with "
          + "\"unmatched topic\": the topic has no channel yet (Presence is another issue), so no presence figures.",
          unmatched, requested);
    }
    return Report.fmt("Presence join storm (Cinder, %d sockets on bench_presence:storm): %d joined in %.1f s, "
        + "refused %s, failed %s; %d presence_state and %d presence_diff frames received; bad frames %d.",
        requested, p.get("joined").asInt(), p.get("millisToAll").asLong() / 1000.0, p.get("refused"), p.get("failed"),
        p.get("presenceStates").asLong(), p.get("presenceDiffs").asLong(), p.get("badFrames").asLong());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
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
