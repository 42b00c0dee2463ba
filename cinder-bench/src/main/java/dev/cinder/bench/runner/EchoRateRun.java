package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * The request path: {@code echoSockets} clients joined to {@code bench:fanout} send {@code ping} pushes at fixed total
 * rates ({@code --rates=5000,10000,20000}), open loop, for {@code echoSeconds} per server and rate. Each rate is
 * measured in {@code --echoRounds} rounds (3 by default), each server taking its share of the seconds in turn
 * (baseline, Cinder, …, then again): the machine's weather drifts within a minute by as much as the servers differ,
 * and rounds spread that drift over all of them instead of handing it to whichever ran later. Per server and rate:
 * the replies per second, round-trip percentiles timed from when each ping was due, server CPU per request (with
 * its lowest and highest round) and the cores it used.
 */
final class EchoRateRun {
  private static final int PAYLOAD_BYTES = 64;
  private static final double WARM_UP_SECONDS = 12;

  private final Profile profile;
  private final Path runDir;
  private final List<Double> rates;
  private final int rounds;

  EchoRateRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.rates = Arrays.stream(options.getOrDefault("rates", "5000,10000,20000").split(",")).map(Double::valueOf).toList();
    this.rounds = Math.max(1, Integer.parseInt(options.getOrDefault("echoRounds", "3")));
  }

  /**
   * One server's figures at one rate: one round's, or the sum of its rounds. {@code cpuNanos} is user and system
   * time, {@code systemNanos} the kernel's part of it; {@code threads} the CPU per thread name.
   */
  private record Result(String label, double rate, long sent, long ok, long bad, Histogram rtt, long cpuNanos,
      long systemNanos, long wallNanos, double minRoundMicros, double maxRoundMicros, Map<String, Long> threads) {
    double cpuMicrosPerRequest() {
      return cpuNanos / 1000.0 / Math.max(1, ok);
    }

    double userMicrosPerRequest() {
      return (cpuNanos - systemNanos) / 1000.0 / Math.max(1, ok);
    }

    double cores() {
      return cpuNanos / (double) wallNanos;
    }

    Result plus(Result round) {
      Histogram both = rtt.copy();
      both.add(round.rtt);
      Map<String, Long> allThreads = new TreeMap<>(threads);
      round.threads.forEach((name, nanos) -> allThreads.merge(name, nanos, Long::sum));
      return new Result(label, rate, sent + round.sent, ok + round.ok, bad + round.bad, both, cpuNanos + round.cpuNanos,
          systemNanos + round.systemNanos, wallNanos + round.wallNanos, Math.min(minRoundMicros, round.minRoundMicros),
          Math.max(maxRoundMicros, round.maxRoundMicros), allThreads);
    }
  }

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
      for (int k = 0; k < rates.size(); k++) {
        double rate = rates.get(k);
        Result[] sums = new Result[targets.size()];
        for (int round = 0; round < rounds; round++) {
          for (int i = 0; i < targets.size(); i++) {
            Target t = targets.get(i);
            Result[] r1 = new Result[1];
            // --jfr=true: the Cinder servers' profile of the first round of the first rate, in the run directory
            boolean jfr = profile.jfr() && rate == rates.getFirst() && round == 0 && t.kind() == Server.Kind.CINDER;
            Jfr.record(jfr ? t.server : null, runDir, "echo", () -> r1[0] = paced(t, sockets, rate, seconds / rounds));
            Result r = r1[0];
            sums[i] = sums[i] == null ? r : sums[i].plus(r);
            BenchRunner.log("%s at %,.0f pings/s, round %d of %d: %,.0f replies/s, p99 %s ms, %.1f µs CPU each, %.2f cores",
                t.label(), rate, round + 1, rounds, r.ok / (seconds / rounds), Report.ms(r.rtt, 99),
                r.cpuMicrosPerRequest(), r.cores());
          }
        }
        results.addAll(Arrays.asList(sums));
        for (Result sum : sums) {
          writeThreads(sum, k + 1);
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
    Map<String, Long> threads0 = ProcStats.cpuNanosByThread(t.server.pid());
    long[] cpu0 = t.server.userAndSystemNanos();
    long wall0 = System.nanoTime();
    JsonNode r = t.generators.getFirst().call(Report.fmt("echorate %d %.0f %.1f %d", sockets, rate, seconds, PAYLOAD_BYTES),
        Duration.ofSeconds((long) seconds + 90));
    long[] cpu1 = t.server.userAndSystemNanos();
    long wall = System.nanoTime() - wall0;
    Map<String, Long> threads = new TreeMap<>();
    ProcStats.cpuNanosByThread(t.server.pid()).forEach((name, nanos) -> {
      long used = nanos - threads0.getOrDefault(name, 0L);
      if (used > 0) {
        threads.put(name, used);
      }
    });
    long system = cpu1[1] - cpu0[1];
    long cpu = cpu1[0] - cpu0[0] + system;
    long ok = r.get("ok").asLong();
    double micros = cpu / 1000.0 / Math.max(1, ok);
    return new Result(t.label(), rate, r.get("sent").asLong(), ok, r.get("bad").asLong(),
        Histo.decode(r.get("rttHisto").asString()), cpu, system, wall, micros, micros, threads);
  }

  /** The server's CPU per thread name over all rounds of one rate, in the run directory: where the time went. */
  private void writeThreads(Result r, int rateIndex) {
    StringBuilder text = new StringBuilder(Report.fmt("thread (name), CPU ms over %d rounds at %,.0f pings/s (%,d replies)%n",
        rounds, r.rate, r.ok));
    r.threads.forEach((name, nanos) -> text.append(name).append(' ').append(nanos / 1_000_000).append('\n'));
    BenchRunner.write(runDir.resolve(Report.fmt("%s-echo-threads-%d-%.0f.txt", r.label.replaceAll("\\W+", "-"),
        rateIndex, r.rate)), text.toString());
  }

  private String describe(List<Result> results, int sockets, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(Report.fmt("| ping → reply, %,d sockets, open loop, %d rounds | replies/s | p50 / p99 / p99.9 / max (ms) "
        + "| server CPU per request (µs; lowest–highest round) | of it in user space (µs) | server cores | sent, bad |%n",
        sockets, rounds));
    out.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      out.append(Report.fmt("| %s at %,.0f/s | %,.0f | %s / %s / %s / %s | %.1f (%.1f–%.1f) | %.1f | %.2f | %,d, %d |%n",
          r.label, r.rate, r.ok / seconds, Report.ms(r.rtt, 50), Report.ms(r.rtt, 99), Report.ms(r.rtt, 99.9),
          Report.ms(r.rtt, 100), r.cpuMicrosPerRequest(), r.minRoundMicros, r.maxRoundMicros, r.userMicrosPerRequest(),
          r.cores(), r.sent, r.bad));
    }
    return out.toString();
  }
}
