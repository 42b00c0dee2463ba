package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * Issue 5: a presence join storm on the example's {@code bench_presence:storm} (BenchPresenceChannel: after the
 * join reply, {@code presence_state}, then a track with {@code {online_at}}). N users, one socket each, join at the
 * profile's connect rate. Measured: time, server CPU, every presence frame each client receives (count and payload
 * bytes), the presence list of every 1,000th client rebuilt as phoenix.js would (it must list all N users), and
 * memory: the live heap per joined socket with presence, beside the same N sockets joined to {@code bench:fanout}
 * (no presence) in the same run, whose difference is the memory per tracked presence.
 */
final class PresenceRun {
  private final Profile profile;
  private final Path runDir;

  PresenceRun(Profile profile, Path baseDir) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
  }

  String run() {
    long start = System.nanoTime();
    List<String> lines = new ArrayList<>();
    List<ServerSpec> cinders = profile.servers().stream().filter(spec -> spec.kind() == Server.Kind.CINDER).toList();
    List<Result> results = new ArrayList<>();
    for (ServerSpec spec : cinders) {
      Result result = runOne(spec);
      results.add(result);
      lines.add(Report.fmt("### %s", spec.label()));
      lines.add("");
      lines.addAll(result.lines());
      lines.add("");
    }
    if (results.size() > 1) {
      lines.addAll(sideBySide(results));
      lines.add("");
    }
    lines.add(Report.fmt("Example server (%s), one generator JVM; run took %.0f s; logs in %s", Server.Kind.CINDER.mainClass,
        (System.nanoTime() - start) / 1e9, runDir));
    String text = String.join("\n", lines) + "\n";
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  /** The headline figures of one server, for the side-by-side table. */
  private record Result(String label, double plainRate, double presenceRate, String p99, long rssGrowthMiB,
      double heapPerPresenceKiB, double cpuPerJoinMs, List<String> lines) {}

  private Result runOne(ServerSpec spec) {
    int n = profile.presenceJoins();
    double rate = profile.connectsPerSecond();
    Server server = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
    GeneratorProcess generator = null;
    try {
      generator = GeneratorProcess.start(0, server, profile.sourcesPerGenerator(), 1, runDir);
      Scenarios s = new Scenarios(server, List.of(generator), false, runDir);
      Cases.warmUp(s, profile);
      // A storm of half the size first, so that the JIT has compiled the big-frame paths of the server and the
      // generator before the measured one: with 300 users, C2 took a third of the generator's CPU in the storm.
      int warmUp = Math.max(300, n / 2);
      generator.call("presence " + warmUp + " bench_presence:warmup " + rate + " 60", Duration.ofSeconds((long) (warmUp / rate) + 200));
      s.closeAll();
      Figures control = new Figures("no presence", n);
      control.liveHeapIdleBytes = server.settle(Duration.ofSeconds(20), null).liveHeapBytes();
      control.rssIdleKiB = server.rssKiB();
      s.connect(control, 0, rate);
      double plainRate = control.joined / Math.max(0.001, control.secondsToAll);
      BenchRunner.log("%s control: %,d sockets joined bench:fanout at %.0f/s; live heap %.2f KiB per socket", spec.label(),
          control.joined, plainRate, control.heapKibPerSocket());
      s.closeAll();
      Server.sleep(3_000);
      long heap0 = server.settle(Duration.ofSeconds(20), null).liveHeapBytes();
      long rss0 = server.rssKiB();
      long cpu0 = server.nanos();
      BenchRunner.log("%s presence storm: %,d users join bench_presence:storm at %.0f/s", spec.label(), n, rate);
      GeneratorProcess g = generator;
      JsonNode[] p = new JsonNode[1];
      Jfr.record(profile.jfr() ? server : null, runDir, "presence", () -> p[0] = g.call(
          "presence " + n + " bench_presence:storm " + rate + " 300", Duration.ofSeconds((long) (n / rate) + 500)));
      long cpu = server.nanos() - cpu0;
      long rssPeak = server.rssKiB();
      long heap1 = server.settle(Duration.ofSeconds(20), null).liveHeapBytes();
      long rss1 = server.rssKiB();
      String tracked = presences(server);
      int joined = p[0].get("joined").asInt();
      double presenceRate = joined / Math.max(0.001, p[0].get("millisToAll").asLong() / 1000.0);
      List<String> lines = new ArrayList<>(describe(n, rate, p[0], cpu, control, heap0, heap1, rss0, rss1, tracked));
      lines.add(2, Report.fmt("| plain join rate in this run (bench:fanout, no presence; same ask) | %.0f/s (p99 %s ms) |",
          plainRate, Report.ms(control.join, 99)));
      lines.add(3, Report.fmt("| presence join rate; ratio to the plain join rate | %.0f/s; %.2fx |", presenceRate,
          presenceRate / plainRate));
      lines.add(Report.fmt("| RSS right after the storm, before the settle (MiB) | %d |", rssPeak / 1024));
      s.closeAll();
      Histogram join = Histo.decode(p[0].get("joinHisto").asString());
      double perSocket = (heap1 - heap0) / 1024.0 / Math.max(1, joined);
      return new Result(spec.label(), plainRate, presenceRate, Report.ms(join, 99), (Math.max(rss1, rssPeak) - rss0) / 1024,
          perSocket - control.heapKibPerSocket(), cpu / 1e6 / Math.max(1, joined), lines);
    } finally {
      if (generator != null) {
        generator.close();
      }
      server.close();
    }
  }

  private static List<String> sideBySide(List<Result> results) {
    List<String> out = new ArrayList<>();
    StringBuilder head = new StringBuilder("| side by side |");
    StringBuilder rule = new StringBuilder("|---|");
    for (Result r : results) {
      head.append(' ').append(r.label()).append(" |");
      rule.append("---:|");
    }
    out.add(head.toString());
    out.add(rule.toString());
    out.add(row("plain join rate (no presence)", results, r -> Report.fmt("%.0f/s", r.plainRate())));
    out.add(row("presence join rate", results, r -> Report.fmt("%.0f/s", r.presenceRate())));
    out.add(row("ratio presence / plain", results, r -> Report.fmt("%.2fx", r.presenceRate() / r.plainRate())));
    out.add(row("presence join p99 (ms)", results, Result::p99));
    out.add(row("server CPU per presence join (ms)", results, r -> Report.fmt("%.2f", r.cpuPerJoinMs())));
    out.add(row("RSS growth, max of right after and settled (MiB)", results, r -> Long.toString(r.rssGrowthMiB())));
    out.add(row("live heap per tracked presence (KiB)", results, r -> Report.fmt("%.2f", r.heapPerPresenceKiB())));
    return out;
  }

  private static String row(String name, List<Result> results, java.util.function.Function<Result, String> cell) {
    StringBuilder row = new StringBuilder("| ").append(name).append(" |");
    results.forEach(r -> row.append(' ').append(cell.apply(r)).append(" |"));
    return row.toString();
  }

  private static List<String> describe(int n, double rate, JsonNode p, long cpuNanos, Figures control, long heap0,
      long heap1, long rss0, long rss1, String tracked) {
    int joined = p.get("joined").asInt();
    Histogram join = Histo.decode(p.get("joinHisto").asString());
    long states = p.get("presenceStates").asLong();
    long diffs = p.get("presenceDiffs").asLong();
    long stateBytes = p.get("stateBytes").asLong();
    long diffBytes = p.get("diffBytes").asLong();
    double perSocket = (heap1 - heap0) / 1024.0 / Math.max(1, joined);
    List<String> out = new ArrayList<>();
    out.add(Report.fmt("| presence join storm, %,d users on bench_presence:storm | |", n));
    out.add("|---|---:|");
    out.add(Report.fmt("| joined / requested (refused; failed) | %,d / %,d (%s; %s) |", joined, n, p.get("refused"), p.get("failed")));
    out.add(Report.fmt("| join rate asked; time until all joined | %.0f/s; %.1f s |", rate, p.get("millisToAll").asLong() / 1000.0));
    out.add(Report.fmt("| join latency p50 / p99 / max (ms) | %s / %s / %s |", Report.ms(join, 50), Report.ms(join, 99), Report.ms(join, 100)));
    out.add(Report.fmt("| time from the first join to the last presence frame | %.1f s |", p.get("millisToLastFrame").asLong() / 1000.0));
    out.add(Report.fmt("| server CPU for the storm (total; per join) | %.1f s; %.2f ms |", cpuNanos / 1e9, cpuNanos / 1e6 / Math.max(1, joined)));
    out.add(Report.fmt("| presence_state frames (one per joiner); payload bytes total; mean per joiner | %,d; %s; %s |",
        states, bytes(stateBytes), bytes(stateBytes / Math.max(1, states))));
    out.add(Report.fmt("| presence_diff frames received, all clients | %,d |", diffs));
    out.add(Report.fmt("| diffs per client: mean / min / max | %.1f / %d / %d |", diffs / (double) Math.max(1, joined),
        p.get("diffsPerClientMin").asLong(), p.get("diffsPerClientMax").asLong()));
    out.add(Report.fmt("| presence_diff payload bytes total; mean per client | %s; %s |", bytes(diffBytes),
        bytes(diffBytes / Math.max(1, joined))));
    out.add(Report.fmt("| one diff per join (no batching) would have been | %,d frames |", (long) joined * (joined - 1) / 2));
    out.add(Report.fmt("| presence bytes (state + diffs) for the most-served client | %s |", bytes(p.get("bytesPerClientMax").asLong())));
    out.add(Report.fmt("| lists rebuilt as phoenix.js does (every 1,000th client): users listed | %s (expected %,d each) |",
        p.get("sampledViewSizes"), joined));
    out.add(Report.fmt("| clients that did not get exactly one presence_state | %d |", p.get("clientsWithoutExactlyOneState").asLong()));
    out.add(Report.fmt("| users in the presence_state of one more user joining after the storm | %,d |", p.get("probeListed").asLong()));
    out.add(Report.fmt("| the example's /metrics cinder_presences after the storm | %s |", tracked));
    out.add(Report.fmt("| live heap per socket joined to bench:fanout, no presence (KiB) | %.2f |", control.heapKibPerSocket()));
    out.add(Report.fmt("| live heap per socket joined to bench_presence:storm, tracked (KiB) | %.2f (%.1f → %.1f MiB) |",
        perSocket, heap0 / 1048576.0, heap1 / 1048576.0));
    out.add(Report.fmt("| memory per tracked presence: the difference (KiB) | %.2f |", perSocket - control.heapKibPerSocket()));
    out.add(Report.fmt("| RSS before → after the storm (MiB) | %d → %d |", rss0 / 1024, rss1 / 1024));
    out.add(Report.fmt("| checks: bad frames, unexpected closes | %d, %d %s |", p.get("badFrames").asLong(),
        p.get("unexpectedCloses").asLong(), p.get("badSamples")));
    return out;
  }

  private static String bytes(long b) {
    return b >= 1 << 20 ? Report.fmt("%.1f MiB", b / 1048576.0) : b >= 1 << 10 ? Report.fmt("%.1f KiB", b / 1024.0) : b + " B";
  }

  /** The {@code cinder_presences} gauge of the example's Prometheus page, as it reads. */
  private static String presences(Server server) {
    try {
      String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : text.split("\n")) {
        if (line.startsWith("cinder_presences ")) {
          return line.substring(line.indexOf(' ') + 1).trim();
        }
      }
    } catch (Exception e) {
      BenchRunner.log("reading /metrics: %s", e);
    }
    return "absent";
  }
}
