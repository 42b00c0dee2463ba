package dev.cinder.bench.runner;

import dev.cinder.bench.client.Topics;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Issue 3's sharding question: N subscribers of one hot topic, against the same N split over 4 and over 16 topics
 * that a message is broadcast to in turn — the same deliveries per message. Every client joins {@code bench:hot},
 * one of {@code bench:s4-0..3} and one of {@code bench:s16-0..15}, so the three cases run on the same sockets in the
 * same run, alternating. By default the server is the bench's MiniApp, whose admin API takes {@code "topics"} and
 * broadcasts to each in turn inside the server, as an application would ({@code --shardServer=example}: the example,
 * one POST per shard).
 */
final class ShardRun {
  private static final String JOIN = "bench:hot,bench:s4-{4},bench:s16-{16}";

  private record Config(String label, List<String> topics) {}

  private final Profile profile;
  private final Path runDir;
  private final boolean example;
  private final int rounds;

  ShardRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.example = "example".equals(options.get("shardServer"));
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
  }

  String run() {
    long start = System.nanoTime();
    int n = profile.scales().getFirst();
    List<Config> configs = List.of(new Config("1 topic", List.of("bench:hot")),
        new Config("4 topics", Topics.expand("bench:s4-{4}")), new Config("16 topics", Topics.expand("bench:s16-{16}")));
    ServerSpec spec = example ? ServerSpec.of(Server.Kind.CINDER)
        : new ServerSpec(Server.Kind.MINI, "Cinder MiniApp", List.of(), Map.of());
    Server server = Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
    List<GeneratorProcess> generators = new ArrayList<>();
    List<Figures> figures = new ArrayList<>();
    double commonRate;
    try {
      for (int i = 0; i < profile.generators(); i++) {
        generators.add(GeneratorProcess.start(i, server, profile.sourcesPerGenerator(), 1, runDir));
      }
      Scenarios s = new Scenarios(server, server, generators, JOIN, List.of("bench:hot"), false, false, runDir);
      Figures scratch = new Figures("warm-up", Math.min(500, n));
      s.connect(scratch, 0, profile.connectsPerSecond());
      configs.forEach(c -> s.burst(scratch, profile.burstMessages(), c.topics()));
      s.closeAll();
      configs.forEach(c -> figures.add(new Figures(c.label(), n)));
      s.connect(figures.getFirst(), 0, profile.connectsPerSecond());
      BenchRunner.log("%,d joined, each on 3 topics", figures.getFirst().joined);
      for (int k = 1; k < configs.size(); k++) {
        figures.get(k).joined = figures.getFirst().joined;
        figures.get(k).requested = figures.getFirst().requested;
      }
      for (int round = 0; round < rounds; round++) {
        for (int k = 0; k < configs.size(); k++) {
          s.burst(figures.get(k), profile.burstMessages(), configs.get(k).topics());
          Figures.Burst r = figures.get(k).burstRounds.getLast();
          BenchRunner.log("%s: burst %,.0f deliveries/s, %.2f µs server CPU each", configs.get(k).label(),
              r.deliveriesPerSecond(), r.cpuMicrosPerDelivery());
        }
      }
      for (int k = 0; k < configs.size(); k++) {
        s.sweep(figures.get(k), Math.max(3, profile.pacedSeconds() / 2), profile.sweepSteps(), configs.get(k).topics());
      }
      commonRate = figures.getFirst().maxSustainedMessagesPerSecond / 2;
      for (int k = 0; k < configs.size(); k++) {
        s.fixedRate(figures.get(k), commonRate, profile.pacedSeconds(), configs.get(k).topics());
        BenchRunner.log("%s: paced at %.1f msg/s, p99 %s ms", configs.get(k).label(), commonRate,
            Report.ms(figures.get(k).latency, 99));
      }
      s.stats(figures.getFirst());
    } finally {
      generators.forEach(GeneratorProcess::close);
      server.close();
    }
    String text = table(figures, n, commonRate) + "\n" + Report.fmt("Server: %s; %,d clients over %d generator JVM(s), "
        + "each joined to bench:hot, one of 4 and one of 16 shard topics; a message goes to every topic of its case in turn "
        + "(%s); %d burst rounds of %d messages, alternating (median); run took %.0f s; logs in %s%n", server.label, n,
        generators.size(), example ? "one POST per topic" : "one POST, the server loops over the topics", rounds,
        profile.burstMessages(), (System.nanoTime() - start) / 1e9, runDir);
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  private static String table(List<Figures> f, int n, double rate) {
    List<String> lines = new ArrayList<>();
    lines.add("| N = " + Report.fmt("%,d", n) + " | " + String.join(" | ", f.stream().map(x -> x.label).toList()) + " |");
    lines.add("|---|" + "---:|".repeat(f.size()));
    row(lines, f, "fan-out burst deliveries/s (median of rounds)", x -> Report.fmt("%,.0f", x.deliveriesPerSecond())
        + (x == f.getFirst() ? "" : Report.fmt(" (%.2fx)", x.deliveriesPerSecond() / f.getFirst().deliveriesPerSecond())));
    row(lines, f, "server CPU per delivery, burst (µs)", x -> Report.fmt("%.2f", x.cpuMicrosPerDelivery()));
    row(lines, f, "burst rounds: deliveries/s @ server µs", x -> x.burstRounds.stream()
        .map(r -> Report.fmt("%,.0f@%.2f", r.deliveriesPerSecond(), r.cpuMicrosPerDelivery())).toList().toString());
    row(lines, f, "server CPU in the kernel, burst", x -> Report.fmt("%.0f%%", 100 * x.systemShare()));
    row(lines, f, "generator CPU per delivery, burst (µs)", x -> Report.fmt("%.2f", x.generatorCpuMicrosPerDelivery()));
    row(lines, f, "max sustained paced rate (msg/s to all N)", x -> Report.fmt("%.1f", x.maxSustainedMessagesPerSecond));
    row(lines, f, Report.fmt("paced at %.1f msg/s (half the 1-topic max): server CPU per delivery (µs)", rate),
        x -> Report.fmt("%.2f", x.pacedCpuMicrosPerDelivery));
    row(lines, f, "  broadcast latency p50 / p90 / p99 (ms)",
        x -> Report.ms(x.latency, 50) + " / " + Report.ms(x.latency, 90) + " / " + Report.ms(x.latency, 99));
    row(lines, f, "  broadcast latency p99.9 / max (ms)", x -> Report.ms(x.latency, 99.9) + " / " + Report.ms(x.latency, 100));
    row(lines, f, "lost deliveries (burst + paced)", x -> (x.burstLost + x.pacedLost) + " of "
        + (x.burstDeliveries + x.burstLost + x.pacedDeliveries + x.pacedLost));
    row(lines, f, "duplicates, failed POSTs", x -> x.duplicates + ", " + x.publishFailures);
    lines.add("| whole run: bad frames, unexpected closes | " + f.getFirst().badFrames + ", " + f.getFirst().unexpectedCloses
        + " " + f.getFirst().badSamples + " |" + " |".repeat(f.size() - 1));
    return String.join("\n", lines) + "\n";
  }

  private static void row(List<String> lines, List<Figures> f, String metric, Function<Figures, String> value) {
    lines.add("| " + metric + " | " + String.join(" | ", f.stream().map(value).toList()) + " |");
  }
}
