package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * The request path: {@code echoSockets} clients joined to {@code bench:fanout} send {@code ping} pushes at fixed total
 * rates ({@code --rates=5000,10000,20000}), open loop, for {@code echoSeconds} each; every server of the profile takes
 * each rate in turn (baseline, Cinder, …), so they see the same weather. Per server and rate: the replies per second,
 * round-trip percentiles timed from when each ping was due, server CPU per request and the cores it used.
 */
final class EchoRateRun {
  private static final int PAYLOAD_BYTES = 64;
  private static final double WARM_UP_SECONDS = 12;

  private final Profile profile;
  private final Path runDir;
  private final List<Double> rates;

  EchoRateRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.rates = Arrays.stream(options.getOrDefault("rates", "5000,10000,20000").split(",")).map(Double::valueOf).toList();
  }

  private record Result(String label, double rate, long sent, long ok, long bad, Histogram rtt, double cpuMicrosPerRequest,
      double cores) {}

  String run() {
    long start = System.nanoTime();
    List<Target> targets = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    int sockets = profile.echoSockets();
    double seconds = profile.echoSeconds();
    try {
      for (ServerSpec spec : profile.servers()) {
        targets.add(new Target(spec, profile, BenchRunner.freePort(), targets.size() * profile.generators(), runDir));
      }
      for (Target t : targets) {
        Figures f = new Figures(t.label(), sockets);
        t.figures.add(f);
        t.scenarios.connect(f, 0, profile.connectsPerSecond());
        BenchRunner.log("%s: %,d joined; warm-up", t.label(), f.joined);
        t.scenarios.echo(new Figures("warm-up", sockets), sockets, 3);
        // Long enough for the JIT to finish: with 3 s, C2 still took a sixth of Cinder's CPU in the first rate.
        paced(t, sockets, 2_000, WARM_UP_SECONDS);
      }
      for (double rate : rates) {
        for (Target t : targets) {
          Result[] r1 = new Result[1];
          // --jfr=true: the Cinder servers' profile of the first rate, in the run directory
          boolean jfr = profile.jfr() && rate == rates.getFirst() && t.kind() == Server.Kind.CINDER;
          Jfr.record(jfr ? t.server : null, runDir, "echo", () -> r1[0] = paced(t, sockets, rate, seconds));
          Result r = r1[0];
          results.add(r);
          BenchRunner.log("%s at %,.0f pings/s: %,.0f replies/s, p99 %s ms, %.1f µs CPU each, %.2f cores", t.label(), rate,
              r.ok / seconds, Report.ms(r.rtt, 99), r.cpuMicrosPerRequest, r.cores);
        }
      }
    } finally {
      targets.forEach(Target::close);
    }
    String text = describe(results, sockets, seconds) + Report.fmt("%nProfile %s, %d sockets, %.0f s per rate; run took %.0f s; logs in %s%n",
        profile.name(), sockets, seconds, (System.nanoTime() - start) / 1e9, runDir);
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  private Result paced(Target t, int sockets, double rate, double seconds) {
    long cpu0 = t.server.nanos();
    long wall0 = System.nanoTime();
    JsonNode r = t.generators.getFirst().call(Report.fmt("echorate %d %.0f %.1f %d", sockets, rate, seconds, PAYLOAD_BYTES),
        Duration.ofSeconds((long) seconds + 90));
    long cpu = t.server.nanos() - cpu0;
    long wall = System.nanoTime() - wall0;
    long ok = r.get("ok").asLong();
    return new Result(t.label(), rate, r.get("sent").asLong(), ok, r.get("bad").asLong(),
        Histo.decode(r.get("rttHisto").asString()), cpu / 1000.0 / Math.max(1, ok), cpu / (double) wall);
  }

  private static String describe(List<Result> results, int sockets, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(Report.fmt("| ping → reply, %,d sockets, open loop | replies/s | p50 / p99 / p99.9 / max (ms) "
        + "| server CPU per request (µs) | server cores | sent, bad |%n", sockets));
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      out.append(Report.fmt("| %s at %,.0f/s | %,.0f | %s / %s / %s / %s | %.1f | %.2f | %,d, %d |%n", r.label, r.rate,
          r.ok / seconds, Report.ms(r.rtt, 50), Report.ms(r.rtt, 99), Report.ms(r.rtt, 99.9), Report.ms(r.rtt, 100),
          r.cpuMicrosPerRequest, r.cores, r.sent, r.bad));
    }
    return out.toString();
  }
}
