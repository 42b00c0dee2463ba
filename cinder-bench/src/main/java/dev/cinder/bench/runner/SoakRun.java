package dev.cinder.bench.runner;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 11: the soak. The example server, and two generator JVMs (WebSocket clients in one, long-poll clients in
 * the other) whose users connect, join rooms with presence, chat, leave and come back at random for the whole run
 * (see {@code dev.cinder.bench.soak}). First a short warm-up of the same kind, so that what the server loads and
 * caches once is in the starting figures; then, from an idle server, the soak itself; then everyone leaves and
 * disconnects, and the server must come back to where it started: its gauges, its live heap after a full GC, its
 * open files. The clients count every protocol problem by kind, and at the end of the run every client's presence
 * lists are compared with who the generators say is in each room.
 */
final class SoakRun {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String GENERATOR = "dev.cinder.bench.soak.SoakGeneratorMain";

  private final Profile profile;
  private final Path runDir;
  private final Map<String, String> options;
  private final SoakReport report = new SoakReport();

  SoakRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.options = options;
  }

  private double option(String name, double fallback) {
    return Double.parseDouble(options.getOrDefault(name, Double.toString(fallback)));
  }

  Runs.Outcome run() {
    long start = System.nanoTime();
    double minutes = option("minutes", 10);
    int clients = (int) option("clients", 2_000);
    int longPoll = (int) option("longPollClients", clients / 10);
    int[] counts = {clients - longPoll, longPoll};
    double warmup = option("warmupSeconds", 30);
    report.settings = Report.fmt("%,d clients (%,d WebSocket, %,d long-poll) for %.1f min over %d rooms, an action every %.0f s "
        + "per client on average, seed %d", clients, counts[0], counts[1], minutes, (int) option("rooms", 100),
        option("actionSeconds", 20), (long) option("seed", 1));
    report.heapSlackMiB = option("heapSlackMiB", 4);
    Path db = runDir.toAbsolutePath().resolve("soak-db");
    // A database file of its own with a small page cache, so that stored messages go to disk rather than into the
    // measured heap; H2's default write delay (500 ms) rather than the example's 0, which writes a chunk per
    // commit and keeps every chunk's metadata in the heap.
    ServerSpec spec = ServerSpec.of(Server.Kind.CINDER).withEnv(Map.of("DATABASE_URL",
        "jdbc:h2:file:" + db + ";CACHE_SIZE=1024;DB_CLOSE_ON_EXIT=FALSE"));
    Server server = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
    Path serverLog = runDir.resolve(spec.slug() + "-server.log");
    List<GeneratorProcess> generators = new ArrayList<>();
    try {
      long logStart = serverLog.toFile().length();
      report.idle = ServerMetrics.scrape(server.port);
      generators.add(generator(0, server, false));
      generators.add(generator(1, server, true));
      BenchRunner.log("warm-up: %d + %d clients for %.0f s", counts[0] / 10, counts[1] / 10, warmup);
      List<JsonNode> warm = cycle(generators, new int[] {counts[0] / 10, counts[1] / 10}, warmup, Math.min(10, warmup / 3));
      report.warmupProblems = warm.stream().mapToLong(r -> SoakReport.sum(r.path("problems"))).sum();
      report.warmupIdleSeconds = awaitIdle(server);
      BenchRunner.log("warm-up done (%d problems); idle again after %.0f s", report.warmupProblems, report.warmupIdleSeconds);
      report.heap0 = server.settle(Duration.ofSeconds(20), h -> report.histogram0 = h).liveHeapBytes();
      report.fd0 = ProcStats.descriptorKinds(server.pid());
      report.rss0 = server.rssKiB();
      report.threads0 = ProcStats.threads(server.pid());
      report.start = ServerMetrics.scrape(server.port);
      BenchRunner.log("start: live heap %.1f MiB, %d open files, %d threads", report.heap0 / 1048576.0,
          SoakReport.total(report.fd0), report.threads0);

      double seconds = minutes * 60;
      long cpu0 = server.nanos();
      long[] generatorCpu0 = generators.stream().mapToLong(g -> ProcStats.cpuNanos(g.pid())).toArray();
      long wall0 = System.nanoTime();
      SoakWatch watch = SoakWatch.start(server);
      List<JsonNode> runs;
      try {
        runs = GeneratorProcess.callAll(generators, i -> "run " + counts[i] + " " + seconds + " " + Math.min(30, seconds / 4),
            Duration.ofSeconds((long) seconds + 300));
      } finally {
        watch.stop();
      }
      double wall = System.nanoTime() - wall0;
      report.cpuShare = (server.nanos() - cpu0) / wall;
      report.generatorCpuShare = new double[] {(ProcStats.cpuNanos(generators.get(0).pid()) - generatorCpu0[0]) / wall,
          (ProcStats.cpuNanos(generators.get(1).pid()) - generatorCpu0[1]) / wall};
      report.peaks = watch.peaks();
      report.end = ServerMetrics.scrape(server.port);
      awaitAgreement(server, runs);

      Map<String, Set<String>> members = new TreeMap<>();
      runs.forEach(r -> r.path("members").properties().forEach(e ->
          e.getValue().forEach(u -> members.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(u.asString()))));
      String json = JSON.writeValueAsString(members);
      report.verify = GeneratorProcess.callAll(generators, i -> "verify " + json, Duration.ofSeconds(120));
      report.finals = GeneratorProcess.callAll(generators, i -> "finish", Duration.ofSeconds(180));
      generators.forEach(GeneratorProcess::close);
      generators.clear();

      report.idleSeconds = awaitIdle(server);
      report.last = ServerMetrics.scrape(server.port);
      report.fd1 = awaitDescriptors(server);
      report.heap1 = server.settle(Duration.ofSeconds(20), h -> report.histogram1 = h).liveHeapBytes();
      report.rss1 = server.rssKiB();
      report.threads1 = ProcStats.threads(server.pid());
      report.serverLog = SoakReport.scanLog(serverLog, logStart);
      BenchRunner.write(runDir.resolve("soak-histogram-start.txt"), report.histogram0);
      BenchRunner.write(runDir.resolve("soak-histogram-end.txt"), report.histogram1);
    } finally {
      generators.forEach(GeneratorProcess::close);
      server.close();
    }
    report.footer = Report.fmt("Example server (%s, heap 1 GiB) and two generator JVMs; run took %.0f s; logs in %s",
        server.kind.mainClass, (System.nanoTime() - start) / 1e9, runDir);
    String text = report.render();
    BenchRunner.write(runDir.resolve("results.md"), text);
    return new Runs.Outcome(text, report.passed());
  }

  private GeneratorProcess generator(int index, Server server, boolean longPoll) {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < profile.sourcesPerGenerator(); i++) {
      sources.add("127.0.0." + (2 + index * profile.sourcesPerGenerator() + i));
    }
    List<String> args = List.of("--server=127.0.0.1:" + server.port, "--sources=" + String.join(",", sources),
        "--transport=" + (longPoll ? "longpoll" : "websocket"), "--generator=" + index,
        "--rooms=" + (int) option("rooms", 100), "--actionSeconds=" + option("actionSeconds", 20),
        "--seed=" + (long) option("seed", 1), "--maxMinutes=" + (long) (option("minutes", 10) + 30));
    return GeneratorProcess.start(index, GENERATOR, args, longPoll ? "longpoll" : "websocket", runDir);
  }

  /** A whole small run: live, quiesce, check the lists, leave; returns the generators' final counts. */
  private static List<JsonNode> cycle(List<GeneratorProcess> generators, int[] counts, double seconds, double ramp) {
    List<JsonNode> runs = GeneratorProcess.callAll(generators, i -> "run " + counts[i] + " " + seconds + " " + ramp,
        Duration.ofSeconds((long) seconds + 300));
    Map<String, Set<String>> members = new TreeMap<>();
    runs.forEach(r -> r.path("members").properties().forEach(e ->
        e.getValue().forEach(u -> members.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(u.asString()))));
    String json = JSON.writeValueAsString(members);
    GeneratorProcess.callAll(generators, i -> "verify " + json, Duration.ofSeconds(120));
    return GeneratorProcess.callAll(generators, i -> "finish", Duration.ofSeconds(180));
  }

  /**
   * After the run the server must hold exactly what the clients hold: a socket per open session, a channel and a
   * presence per live room. Long-poll sessions the clients stopped polling linger until the server ends them (1.5
   * long-poll windows), and so do their channels if they did not leave: wait for that, at most 90 s.
   */
  private void awaitAgreement(Server server, List<JsonNode> runs) {
    long sockets = runs.stream().mapToLong(r -> r.path("openSessions").asLong()).sum();
    long channels = runs.stream().mapToLong(r -> r.path("liveChannels").asLong()).sum();
    report.clientSockets = sockets;
    report.clientChannels = channels;
    long begin = System.nanoTime();
    long deadline = begin + Duration.ofSeconds(90).toNanos();
    ServerMetrics m;
    do {
      m = ServerMetrics.scrape(server.port);
      if (m.gauge("cinder_sockets") == sockets && m.gauge("cinder_channels") == channels
          && m.gauge("cinder_presences") == channels) {
        break;
      }
      Server.sleep(500);
    } while (System.nanoTime() < deadline);
    report.agreement = m;
    report.agreementSeconds = (System.nanoTime() - begin) / 1e9;
    BenchRunner.log("after the run: clients hold %d sessions and %d channels; server: %s (after %.1f s)", sockets, channels,
        m.gauges(), report.agreementSeconds);
  }

  /** Polls /metrics until every gauge reads its idle value again, at most {@code --idleSeconds} (120). */
  private double awaitIdle(Server server) {
    long begin = System.nanoTime();
    long deadline = begin + Duration.ofSeconds((long) option("idleSeconds", 120)).toNanos();
    ServerMetrics m = ServerMetrics.scrape(server.port);
    while (!m.gaugesEqual(report.idle) && System.nanoTime() < deadline) {
      Server.sleep(500);
      m = ServerMetrics.scrape(server.port);
    }
    double s = (System.nanoTime() - begin) / 1e9;
    if (!m.gaugesEqual(report.idle)) {
      BenchRunner.log("not idle after %.0f s: %s (idle: %s)", s, m.gauges(), report.idle.gauges());
      return Double.NaN;
    }
    return s;
  }

  /** Open files, once they are no more than at the start (closing sockets takes a moment), at most 30 s. */
  private Map<String, Integer> awaitDescriptors(Server server) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Map<String, Integer> now = ProcStats.descriptorKinds(server.pid());
    while (SoakReport.total(now) > SoakReport.total(report.fd0) && System.nanoTime() < deadline) {
      Server.sleep(500);
      now = ProcStats.descriptorKinds(server.pid());
    }
    return now;
  }
}
