package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 14: what history and recovery cost. Two parts, in one run, on the bench's MiniApp ({@code bench:*} and, with a
 * history of 1,000 messages and 5 minutes, {@code bench_history:*}):
 * <ol>
 *   <li><b>Fan-out, recoverable beside plain.</b> One server, N clients each joined to {@code bench:fanout} and to
 *       {@code bench_history:fanout}, both joins with {@code "recover": true} (the plain topic ignores it), so a
 *       message to the second reaches every client with its position as the ref. Bursts, the paced sweep and paced
 *       rounds at one rate alternate between the two topics on the same sockets.
 *   <li><b>Mass reconnect.</b> A {@code redis-server} of the run's own and two MiniApp nodes over it; M clients of
 *       the one topic {@code bench_history:mass}, half on each node, each keeping the last position it received. All
 *       drop at once (TCP resets), {@code missed} broadcasts go through node a's admin API, then every client comes
 *       back at once on the <i>other</i> node and rejoins from its last position. Measured: the time until every
 *       client has every missed broadcast (checked once each, in order, at consecutive offsets, every join saying
 *       {@code recovered: true}), the Redis commands meanwhile ({@code INFO commandstats}), each node's history
 *       reads ({@code GET /api/recovery-reads}), and the CPU of both nodes and Redis.
 * </ol>
 */
final class RecoveryRun {
  static final String PLAIN = "bench:fanout";
  static final String RECOVERABLE = "bench_history:fanout";
  static final String MASS = "bench_history:mass";
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  /** Broadcasts before the drop, so that every client holds a position a broadcast gave it. */
  private static final int BEFORE_DROP = 10;

  private final Profile profile;
  private final Path runDir;
  private final int rounds;
  private final int reconnectClients;
  private final int missed;
  private final int reconnectPending;

  RecoveryRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    this.reconnectClients = Integer.parseInt(options.getOrDefault("reconnectClients", "10000"));
    this.missed = Integer.parseInt(options.getOrDefault("missed", "100"));
    // handshakes and joins in flight per generator while the clients come back; by default all of them at once
    this.reconnectPending = Integer.parseInt(options.getOrDefault("reconnectPending", Integer.toString(reconnectClients)));
  }

  Runs.Outcome run() {
    long start = System.nanoTime();
    String fanout = fanout();
    MassReconnect mass = massReconnect();
    String text = "## Fan-out on a recoverable topic beside a plain one\n\n" + fanout + "\n## Mass reconnect\n\n" + mass.text
        + "\n" + Report.fmt("Run took %.0f s; logs in %s%n", (System.nanoTime() - start) / 1e9, runDir);
    BenchRunner.write(runDir.resolve("results.md"), text);
    return new Runs.Outcome(text, mass.passed);
  }

  // ---- part 1

  private String fanout() {
    int n = profile.scales().getFirst();
    ServerSpec spec = new ServerSpec(Server.Kind.MINI, "Cinder MiniApp", List.of(), Map.of());
    Server server = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
    List<GeneratorProcess> generators = new ArrayList<>();
    Figures plain = new Figures("plain", n);
    Figures recoverable = new Figures("recoverable", n);
    List<Figures> both = List.of(plain, recoverable);
    Map<Figures, List<String>> topic = Map.of(plain, List.of(PLAIN), recoverable, List.of(RECOVERABLE));
    double rate;
    try {
      for (int i = 0; i < profile.generators(); i++) {
        generators.add(GeneratorProcess.start(i, server, profile.sourcesPerGenerator(), 1, runDir));
      }
      Scenarios s = new Scenarios(server, server, generators, PLAIN + "," + RECOVERABLE, List.of(PLAIN), false, false, runDir);
      Figures scratch = new Figures("warm-up", Math.min(500, n));
      s.connect(scratch, 0, profile.connectsPerSecond(), true);
      both.forEach(f -> s.burst(scratch, profile.burstMessages(), topic.get(f)));
      s.closeAll();
      s.connect(plain, 0, profile.connectsPerSecond(), true);
      recoverable.joined = plain.joined;
      recoverable.requested = plain.requested;
      BenchRunner.log("%,d joined, each on %s and %s", plain.joined, PLAIN, RECOVERABLE);
      for (int round = 0; round < rounds; round++) {
        for (Figures f : ordered(both, round)) {
          s.burst(f, profile.burstMessages(), topic.get(f));
          Figures.Burst r = f.burstRounds.getLast();
          BenchRunner.log("%s: burst %,.0f deliveries/s, %.2f µs server CPU each", f.label, r.deliveriesPerSecond(),
              r.cpuMicrosPerDelivery());
        }
      }
      for (Figures f : both) {
        s.sweep(f, Math.max(3, profile.pacedSeconds() / 2), profile.sweepSteps(), topic.get(f));
      }
      rate = Math.min(plain.maxSustainedMessagesPerSecond, recoverable.maxSustainedMessagesPerSecond) / 2;
      for (int round = 0; round < rounds; round++) {
        for (Figures f : ordered(both, round)) {
          s.fixedRate(f, rate, profile.pacedSeconds(), topic.get(f));
          BenchRunner.log("%s: paced at %.1f msg/s, round %d: %.2f µs CPU per delivery", f.label, rate, round + 1,
              f.pacedRoundMicros.getLast());
        }
      }
      s.stats(plain);
    } finally {
      generators.forEach(GeneratorProcess::close);
      server.close();
    }
    return fanoutTable(plain, recoverable, rate) + "\n" + Report.fmt("Server: %s, one node; %,d clients over %d generator "
        + "JVM(s), each joined to %s and %s with \"recover\": true; one POST per message; %d rounds of %d-message bursts and "
        + "of %.0f s paced runs, the two topics alternating (which goes first alternates by round); burst figures are the "
        + "median of the rounds, paced ones add up.%n", server.label, n, generators.size(), PLAIN, RECOVERABLE, rounds,
        profile.burstMessages(), profile.pacedSeconds());
  }

  /** The cases in turn, the first going first in even rounds and last in odd ones: neither always follows the other. */
  private static List<Figures> ordered(List<Figures> cases, int round) {
    return round % 2 == 0 ? cases : cases.reversed();
  }

  private static String fanoutTable(Figures plain, Figures rec, double rate) {
    List<String> lines = new ArrayList<>();
    lines.add(Report.fmt("| N = %,d | plain | recoverable | recoverable / plain |", plain.scale));
    lines.add("|---|---:|---:|---:|");
    ratioRow(lines, "burst deliveries/s (median of rounds)", plain, rec, Figures::deliveriesPerSecond, "%,.0f");
    ratioRow(lines, "server CPU per delivery, burst (µs)", plain, rec, Figures::cpuMicrosPerDelivery, "%.2f");
    lines.add("| burst rounds: deliveries/s @ server µs | " + rounds(plain) + " | " + rounds(rec) + " | |");
    ratioRow(lines, "max sustained paced rate (msg/s to all N)", plain, rec, f -> f.maxSustainedMessagesPerSecond, "%.1f");
    ratioRow(lines, Report.fmt("paced at %.1f msg/s (half the lower max): server CPU per delivery (µs)", rate), plain, rec,
        f -> f.pacedCpuMicrosPerDelivery, "%.2f");
    lines.add("| paced rounds: server µs per delivery | " + plain.pacedRoundMicros.stream().map(v -> Report.fmt("%.2f", v))
        .toList() + " | " + rec.pacedRoundMicros.stream().map(v -> Report.fmt("%.2f", v)).toList() + " | |");
    lines.add(Report.fmt("| paced latency p50 / p99 / p99.9 (ms) | %s / %s / %s | %s / %s / %s | |", Report.ms(plain.latency, 50),
        Report.ms(plain.latency, 99), Report.ms(plain.latency, 99.9), Report.ms(rec.latency, 50), Report.ms(rec.latency, 99),
        Report.ms(rec.latency, 99.9)));
    lines.add(Report.fmt("| deliveries with a position as ref | %,d | %,d | |", plain.positioned, rec.positioned));
    lines.add(Report.fmt("| lost, duplicates, failed POSTs | %d of %,d, %d, %d | %d of %,d, %d, %d | |", plain.burstLost
        + plain.pacedLost, delivered(plain), plain.duplicates, plain.publishFailures, rec.burstLost + rec.pacedLost,
        delivered(rec), rec.duplicates, rec.publishFailures));
    lines.add("| whole run: bad frames, unexpected closes | " + plain.badFrames + ", " + plain.unexpectedCloses + " "
        + plain.badSamples + " | | |");
    double throughput = rec.deliveriesPerSecond() / plain.deliveriesPerSecond();
    double burstCpu = rec.cpuMicrosPerDelivery() / plain.cpuMicrosPerDelivery();
    double pacedCpu = rec.pacedCpuMicrosPerDelivery / plain.pacedCpuMicrosPerDelivery;
    lines.add("");
    lines.add(Report.fmt("Goal (within 10%%): deliveries/s ratio %.2f (%s 0.9), CPU per delivery ratio %.2f burst, %.2f paced "
        + "(%s 1.1).", throughput, throughput >= 0.9 ? "≥" : "below", burstCpu, pacedCpu,
        burstCpu <= 1.1 && pacedCpu <= 1.1 ? "both ≤" : "not both ≤"));
    return String.join("\n", lines) + "\n";
  }

  private static long delivered(Figures f) {
    return f.burstDeliveries + f.burstLost + f.pacedDeliveries + f.pacedLost;
  }

  private static String rounds(Figures f) {
    return f.burstRounds.stream().map(r -> Report.fmt("%,.0f@%.2f", r.deliveriesPerSecond(), r.cpuMicrosPerDelivery()))
        .toList().toString();
  }

  private static void ratioRow(List<String> lines, String metric, Figures plain, Figures rec, Function<Figures, Double> value,
      String format) {
    double p = value.apply(plain);
    double r = value.apply(rec);
    lines.add("| " + metric + " | " + Report.fmt(format, p) + " | " + Report.fmt(format, r) + " | "
        + Report.fmt("%.2f", r / p) + " |");
  }

  // ---- part 2

  private record MassReconnect(String text, boolean passed) {}

  /** The nodes' and Redis's readings at one moment: command calls, each node's history reads, CPU ns per process. */
  private record Reading(Map<String, Long> commands, long readsA, long readsB, long cpuA, long cpuB, long cpuRedis) {}

  private MassReconnect massReconnect() {
    int n = reconnectClients;
    List<AutoCloseable> started = new ArrayList<>();
    try {
      RedisProcess redis = RedisProcess.start(runDir);
      started.add(redis);
      Server a = node("a", redis, started);
      Server b = node("b", redis, started);
      String where = Report.fmt("redis-server pid %d on port %d; MiniApp node a pid %d, node b pid %d", redis.pid(),
          redis.port, a.pid(), b.pid());
      BenchRunner.log(where);
      // generator indices of their own: part 1's source addresses may still hold sockets in TIME_WAIT
      GeneratorProcess onA = GeneratorProcess.start(4, a, profile.sourcesPerGenerator(), 1, runDir);
      started.add(onA);
      GeneratorProcess onB = GeneratorProcess.start(5, b, profile.sourcesPerGenerator(), 1, runDir);
      started.add(onB);
      List<GeneratorProcess> generators = List.of(onA, onB);
      Scenarios mass = new Scenarios(a, CpuMeter.sum(List.of(a, b, redis)), generators, MASS, List.of(MASS), false, false,
          runDir);
      Figures joined = new Figures("mass", n);
      long connectStart = System.nanoTime();
      List<JsonNode> connects = GeneratorProcess.callAll(generators, i -> "connect " + (i == onA.index ? n - n / 2 : n / 2)
          + " " + MASS + " " + profile.connectsPerSecond() / 2 + " 256 " + (long) (n / profile.connectsPerSecond() + 120)
          + " recover", Duration.ofSeconds((long) (n / profile.connectsPerSecond()) + 180));
      joined.joined = (int) connects.stream().mapToLong(r -> r.get("joined").asLong()).sum();
      double connectSeconds = (System.nanoTime() - connectStart) / 1e9;
      BenchRunner.log("mass: %,d of %,d joined in %.1f s; first joins: %s", joined.joined, n, connectSeconds,
          merged(connects, "recoveries"));
      Server.sleep(2_000); // the nodes' SUBSCRIBEs are confirmed by Redis asynchronously
      mass.burst(joined, BEFORE_DROP);
      BenchRunner.log("mass: %,d of %,d deliveries before the drop carried a position", joined.positioned,
          (long) BEFORE_DROP * joined.joined);

      Reading r0 = read(redis, a, b);
      List<JsonNode> drops = GeneratorProcess.callAll(generators, i -> "drop", Duration.ofSeconds(60));
      long dropped = drops.stream().mapToLong(r -> r.get("dropped").asLong()).sum();
      long withPosition = drops.stream().mapToLong(r -> r.get("withPosition").asLong()).sum();
      BenchRunner.log("mass: %,d dropped, %,d holding a position", dropped, withPosition);
      Server.sleep(2_000); // the nodes see the resets and their channels leave
      // one POST at a time: the order they were sent in is the order of their positions, which the clients check
      Publisher.Result sent = new Publisher(a).burst(List.of(MASS), "missed", missed, 1);
      Server.sleep(1_000); // each broadcast's recording script has run
      Reading r1 = read(redis, a, b);

      long rejoinStart = System.nanoTime();
      long timeout = 120 + n / 100;
      List<JsonNode> rejoins = GeneratorProcess.callAll(generators, i -> "rejoin 127.0.0.1:" + (i == onA.index ? b.port : a.port)
          + " missed " + missed + " 1e9 " + reconnectPending + " " + timeout, Duration.ofSeconds(timeout + 60));
      double wallSeconds = (System.nanoTime() - rejoinStart) / 1e9;
      Reading r2 = read(redis, a, b);
      List<JsonNode> stats = GeneratorProcess.callAll(generators, i -> "stats", Duration.ofSeconds(10));
      String firstJoins = Report.fmt("%,d clients at %,.0f/s: all joined in %.1f s; join p50 / p99 %s / %s ms; %s", n,
          profile.connectsPerSecond(), connectSeconds, Report.ms(histogram(connects, "joinHisto"), 50),
          Report.ms(histogram(connects, "joinHisto"), 99), merged(connects, "recoveries"));
      return report(where, n, joined, firstJoins, dropped, withPosition, sent, rejoins, stats, r0, r1, r2, wallSeconds);
    } finally {
      stopAll(started);
    }
  }

  private MassReconnect report(String where, int n, Figures joined, String firstJoins, long dropped, long withPosition,
      Publisher.Result sent, List<JsonNode> rejoins, List<JsonNode> stats, Reading r0, Reading r1, Reading r2, double wallSeconds) {
    long rejoined = sum(rejoins, "joined");
    long complete = sum(rejoins, "complete");
    long toAll = rejoins.stream().mapToLong(r -> r.get("millisToAllComplete").asLong()).max().orElse(-1);
    long joinsDone = rejoins.stream().mapToLong(r -> r.get("millisToAll").asLong()).max().orElse(-1);
    Histogram completion = histogram(rejoins, "completionHisto");
    Histogram join = histogram(rejoins, "joinHisto");
    Map<String, Long> outcomes = merged(rejoins, "recoveries");
    Map<String, Long> failures = new TreeMap<>(); // what was found where a check failed
    check(failures, "joined at first", joined.joined == n, joined.joined);
    check(failures, "positioned deliveries before the drop", joined.positioned == (long) BEFORE_DROP * n, joined.positioned);
    check(failures, "dropped with a position", dropped == n && withPosition == n, withPosition);
    check(failures, "failed POSTs", sent.failed() == 0, sent.failed());
    check(failures, "rejoined", rejoined == n, rejoined);
    long recovered = outcomes.getOrDefault("recovered", 0L);
    check(failures, "joins that recovered", recovered == n, recovered);
    check(failures, "clients with every missed broadcast", complete == n, complete);
    for (String bad : List.of("duplicates", "outOfOrder", "offsetGaps", "otherEpoch", "unpositioned")) {
      check(failures, bad, sum(rejoins, bad) == 0, sum(rejoins, bad));
    }
    check(failures, "bad frames", sum(stats, "badFrames") == 0, sum(stats, "badFrames"));
    long deliveries = sum(rejoins, "received");
    List<String> lines = new ArrayList<>();
    lines.add(Report.fmt("| M = %,d clients of %s, %d missed broadcasts | |", n, MASS, missed));
    lines.add("|---|---:|");
    lines.add(Report.fmt("| time until every client had every missed broadcast (from the first reconnect) | %,d ms |", toAll));
    lines.add(Report.fmt("| per client, time to all missed p50 / p90 / p99 / max (ms) | %s / %s / %s / %s |",
        Report.ms(completion, 50), Report.ms(completion, 90), Report.ms(completion, 99), Report.ms(completion, 100)));
    lines.add(Report.fmt("| time until every rejoin was answered | %,d ms |", joinsDone));
    lines.add(Report.fmt("| join (handshake to reply) p50 / p99 / max (ms) | %s / %s / %s |", Report.ms(join, 50),
        Report.ms(join, 99), Report.ms(join, 100)));
    lines.add(Report.fmt("| rejoin replies | %s |", outcomes));
    lines.add(Report.fmt("| missed broadcasts received (each counted once) | %,d of %,d |", deliveries, (long) n * missed));
    lines.add(Report.fmt("| duplicates, not in the order sent, offset gaps, other epoch, without position | %d, %d, %d, %d, %d |",
        sum(rejoins, "duplicates"), sum(rejoins, "outOfOrder"), sum(rejoins, "offsetGaps"), sum(rejoins, "otherEpoch"),
        sum(rejoins, "unpositioned")));
    lines.add(Report.fmt("| history reads by recoveries (recoveryReads), node a + node b | %d + %d |", r2.readsA - r1.readsA,
        r2.readsB - r1.readsB));
    lines.add(Report.fmt("| Redis commands during the reconnect | %s |", delta(r1.commands, r2.commands)));
    lines.add(Report.fmt("| Redis commands during the drop and the %d broadcasts | %s |", missed, delta(r0.commands, r1.commands)));
    lines.add(Report.fmt("| CPU during the reconnect (%.1f s wall): node a, node b, Redis (ms) | %,d, %,d, %,d |", wallSeconds,
        (r2.cpuA - r1.cpuA) / 1_000_000, (r2.cpuB - r1.cpuB) / 1_000_000, (r2.cpuRedis - r1.cpuRedis) / 1_000_000));
    lines.add(Report.fmt("| CPU per rejoining client, nodes + Redis (µs) | %.0f |",
        (r2.cpuA - r1.cpuA + r2.cpuB - r1.cpuB + r2.cpuRedis - r1.cpuRedis) / 1000.0 / Math.max(1, rejoined)));
    lines.add(Report.fmt("| first joins, before the drop (\"recover\": true) | %s |", firstJoins));
    lines.add(Report.fmt("| whole part: bad frames, unexpected closes | %d, %d %s |", sum(stats, "badFrames"),
        sum(stats, "unexpectedCloses"), stats.stream().map(s -> s.get("badSamples").toString()).toList()));
    lines.add("");
    lines.add(failures.isEmpty() ? "Checks passed: every client rejoined, every join said recovered: true, and every client "
        + "got every missed broadcast once, in order, at consecutive offsets of its epoch."
        : "CHECKS FAILED: " + failures);
    lines.add("");
    lines.add(Report.fmt("%s. Two MiniApp nodes (PUBSUB=redis); %,d clients (%,d on node a, %,d on node b, each generator "
        + "JVM holding one node's) joined %s with \"recover\": true, took %d broadcasts, then dropped all at once (TCP resets); "
        + "%d broadcasts through node a's admin API; then every client reconnected at once to the other node (at most %,d "
        + "handshakes and joins in flight per generator), rejoining from its last position.", where, n, n - n / 2, n / 2,
        MASS, BEFORE_DROP, missed, reconnectPending));
    return new MassReconnect(String.join("\n", lines) + "\n", failures.isEmpty());
  }

  private static void check(Map<String, Long> failures, String what, boolean ok, long found) {
    if (!ok) {
      failures.put(what, found);
    }
  }

  private static Reading read(RedisProcess redis, Server a, Server b) {
    return new Reading(redis.commandCalls(), recoveryReads(a), recoveryReads(b), a.nanos(), b.nanos(), redis.nanos());
  }

  /** The node's {@code GET /api/recovery-reads}. */
  private static long recoveryReads(Server node) {
    try {
      HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + node.port + "/api/recovery-reads"))
          .header("Authorization", "Bearer " + node.adminToken).build(), HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body()).get("recoveryReads").asLong();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Commands whose calls changed between two readings, most first. */
  private static String delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> changed = new TreeMap<>();
    after.forEach((command, calls) -> {
      long d = calls - before.getOrDefault(command, 0L);
      if (d > 0 && !command.equals("info")) {
        changed.put(command, d);
      }
    });
    return changed.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .map(e -> e.getKey() + " " + e.getValue()).toList().toString();
  }

  private static Histogram histogram(List<JsonNode> results, String field) {
    Histogram h = new Histogram(3);
    results.forEach(r -> h.add(Histo.decode(r.get(field).asString())));
    return h;
  }

  private static Map<String, Long> merged(List<JsonNode> results, String field) {
    Map<String, Long> out = new TreeMap<>();
    results.forEach(r -> r.get(field).properties().forEach(e -> out.merge(e.getKey(), e.getValue().asLong(), Long::sum)));
    return out;
  }

  private Server node(String name, RedisProcess redis, List<AutoCloseable> started) {
    ServerSpec spec = new ServerSpec(Server.Kind.MINI, "node " + name, List.of(),
        Map.of("PUBSUB", "redis", "REDIS_URL", redis.url(), "NODE_NAME", "bench-" + name));
    Server s = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
    started.add(s);
    return s;
  }

  private static long sum(List<JsonNode> results, String field) {
    return results.stream().mapToLong(r -> r.get(field).asLong()).sum();
  }

  /** Stops what the part started, last started first; one that fails to stop is logged and the others still stop. */
  private static void stopAll(List<AutoCloseable> started) {
    for (AutoCloseable c : started.reversed()) {
      try {
        c.close();
      } catch (Exception e) {
        BenchRunner.log("stopping %s: %s", c, e);
      }
    }
  }
}
