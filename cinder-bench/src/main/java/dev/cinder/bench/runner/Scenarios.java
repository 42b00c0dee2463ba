package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;
import tools.jackson.databind.JsonNode;

/**
 * The whole-system scenarios, run by the bench runner through a set of generator processes: their clients join
 * {@code joinTopics} on the servers the generators were started for, broadcasts go to {@code server}'s admin API,
 * and server CPU is read from {@code cpu} (one server, or every node of a cluster and its Redis). Each scenario
 * adds to a {@link Figures}; every wait is bounded.
 */
final class Scenarios {
  static final String TOPIC = "bench:fanout";
  static final long SUSTAINED_P999_MICROS = 500_000;
  /**
   * Where one message alone takes about the whole threshold to reach every socket (19,000 sockets here), a rate
   * is also sustained if p99.9 stays under this and the last third of the messages arrived no later than the
   * first (p99 within 1.25× and 50 ms): no backlog grew.
   */
  static final long SUSTAINED_CEILING_P999_MICROS = 2_000_000;
  private static int runs; // distinct event names keep a late frame of one run out of the next one's tally

  private final Server server;
  private static final int IDLE_SECONDS = 15;
  private final CpuMeter cpu;
  private final List<GeneratorProcess> generators;
  private final Publisher publisher;
  private final String joinTopics;
  private final List<String> topics;
  private final boolean memory;
  private final boolean classHistograms;
  private final java.nio.file.Path runDir;

  Scenarios(Server server, List<GeneratorProcess> generators, boolean classHistograms, java.nio.file.Path runDir) {
    this(server, server, generators, TOPIC, List.of(TOPIC), true, classHistograms, runDir);
  }

  /**
   * {@code joinTopics} is what each client joins (see {@code Topics}), {@code topics} where a fan-out message is
   * broadcast (each message once per topic, in turn); {@code memory} reads {@code server}'s heap and RSS on connect.
   */
  Scenarios(Server server, CpuMeter cpu, List<GeneratorProcess> generators, String joinTopics, List<String> topics,
      boolean memory, boolean classHistograms, java.nio.file.Path runDir) {
    this.classHistograms = classHistograms;
    this.runDir = runDir;
    this.server = server;
    this.cpu = cpu;
    this.generators = generators;
    this.publisher = new Publisher(server);
    this.joinTopics = joinTopics;
    this.topics = List.copyOf(topics);
    this.memory = memory;
  }

  /** (a) Adds sockets until {@code total} are joined, spread evenly over the generators; RSS before and after. */
  void connect(Figures f, int alreadyJoined, double perSecond) {
    connect(f, alreadyJoined, perSecond, false);
  }

  /** As above; with {@code recover} every join asks for positions ({@code "recover": true}). */
  void connect(Figures f, int alreadyJoined, double perSecond, boolean recover) {
    int add = f.scale - alreadyJoined;
    int g = generators.size();
    double rate = perSecond / g;
    long timeout = (long) (add / perSecond) + 120;
    List<JsonNode> results = GeneratorProcess.callAll(generators,
        i -> "connect " + share(add, g, i) + " " + joinTopics + " " + rate + " 256 " + timeout + (recover ? " recover" : ""),
        Duration.ofSeconds(timeout + 30));
    Map<String, Integer> refused = new TreeMap<>();
    for (JsonNode r : results) {
      f.requested += r.get("requested").asInt();
      f.joined += r.get("joined").asInt();
      f.secondsToAll = Math.max(f.secondsToAll, r.get("millisToAll").asLong() / 1000.0);
      f.join.add(Histo.decode(r.get("joinHisto").asString()));
      r.get("refused").properties().forEach(e -> refused.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
      r.get("failed").properties().forEach(e -> refused.merge(e.getKey(), e.getValue().asInt(), Integer::sum));
    }
    f.requested += alreadyJoined;
    f.joined += alreadyJoined;
    f.refusals = refused.toString();
    if (!memory) {
      return;
    }
    Server.Settled settled = server.settle(Duration.ofSeconds(60),
        Snapshots.classHistogram(classHistograms, server, runDir, f.scale));
    f.liveHeapJoinedBytes = settled.liveHeapBytes();
    f.rssJoinedKiB = settled.rssKiB();
    f.openFiles = ProcStats.openFiles(server.pid());
    idle(f);
  }

  /**
   * The server's CPU over {@link #IDLE_SECONDS} with every socket joined and nothing sent but the clients'
   * heartbeats: what a paced run at a low rate spreads over its deliveries. Per thread in the run directory.
   */
  private void idle(Figures f) {
    java.util.Map<String, Long> before = ProcStats.cpuNanosByThread(server.pid());
    long cpu0 = cpu.nanos();
    Server.sleep(IDLE_SECONDS * 1000L, 0);
    f.idleCores = (cpu.nanos() - cpu0) / (IDLE_SECONDS * 1e9);
    StringBuilder threads = new StringBuilder("thread (name), CPU ms over " + IDLE_SECONDS + " s idle with " + f.joined
        + " sockets joined\n");
    ProcStats.cpuNanosByThread(server.pid()).forEach((name, nanos) -> {
      long ms = (nanos - before.getOrDefault(name, 0L)) / 1_000_000;
      if (ms > 0) {
        threads.append(name).append(' ').append(ms).append('\n');
      }
    });
    BenchRunner.write(runDir.resolve(f.label.replaceAll("\\W+", "-") + "-idle-threads-" + f.scale + ".txt"), threads.toString());
  }

  /** (b) Fan-out as fast as the server drains it: deliveries/s and server CPU per delivery. */
  void burst(Figures f, int messages) {
    burst(f, messages, topics);
  }

  /** A burst where each message is broadcast to every one of {@code to}, in turn. */
  void burst(Figures f, int messages, List<String> to) {
    String event = "fan" + runs++;
    GeneratorProcess.callAll(generators, i -> "fanout " + event + " " + messages, Duration.ofSeconds(10));
    long[] cpu0 = cpu.userAndSystemNanos();
    long generatorCpu0 = generatorCpuNanos();
    Publisher.Result sent = publisher.burst(to, event, messages, 4);
    List<JsonNode> tallies = GeneratorProcess.callAll(generators,
        i -> "await " + messages + " " + awaitSeconds(f, messages), Duration.ofSeconds(awaitSeconds(f, messages) + 30));
    long[] cpu1 = cpu.userAndSystemNanos();
    long system = cpu1[1] - cpu0[1];
    long cpu = cpu1[0] - cpu0[0] + system;
    long generatorCpu = generatorCpuNanos() - generatorCpu0;
    long received = sum(tallies, "received");
    long last = tallies.stream().mapToLong(t -> t.get("lastMicros").asLong()).max().orElse(0);
    f.burstDeliveries += received;
    f.burstLost += sum(tallies, "lost");
    f.positioned += sum(tallies, "positioned");
    f.duplicates += sum(tallies, "duplicates");
    f.publishFailures += sent.failed();
    f.burstRounds.add(new Figures.Burst(received / Math.max(1e-6, (last - sent.startMicros()) / 1e6),
        cpu / 1000.0 / Math.max(1, received), generatorCpu / 1000.0 / Math.max(1, received),
        system / (double) Math.max(1, cpu)));
  }

  /**
   * (b) The highest paced rate the system sustains: from 0.7x the burst's rate down by 0.7x steps until a run of
   * {@code seconds} loses nothing and keeps p99.9 under {@link #SUSTAINED_P999_MICROS}, or under
   * {@link #SUSTAINED_CEILING_P999_MICROS} with its last messages no later than its first (no growing backlog); then,
   * between that rate and the one above it that failed, {@link #REFINE_STEPS} halvings (in log scale) find the
   * highest passing rate to within about 9%. Without them the figure moved in steps of 0.7x, so two servers one step
   * apart differed by 1.43x for a difference of a few percent. A burst coalesces frames per socket; paced traffic
   * does not, so it can sustain less than the burst drained.
   */
  void sweep(Figures f, double seconds, int maxSteps) {
    sweep(f, seconds, maxSteps, topics);
  }

  void sweep(Figures f, double seconds, int maxSteps, List<String> to) {
    double rate = 0.7 * f.deliveriesPerSecond() / Math.max(1, f.joined);
    for (int step = 0; step < maxSteps; step++, rate *= 0.7) {
      if (sustains(f, rate, seconds, to)) {
        double failed = step == 0 ? Double.NaN : rate / 0.7;
        for (int i = 0; i < REFINE_STEPS && !Double.isNaN(failed); i++) {
          double between = Math.sqrt(rate * failed);
          if (sustains(f, between, seconds, to)) {
            rate = between;
          } else {
            failed = between;
          }
        }
        f.maxSustainedMessagesPerSecond = rate;
        return;
      }
    }
    f.maxSustainedMessagesPerSecond = rate / 0.7; // none sustained: the lowest rate tried, flagged in the log
    BenchRunner.log("%s: no paced rate met the criterion; using the lowest tried", f.label);
  }

  /** Halvings between the highest passing and the lowest failing step of the sweep. */
  static final int REFINE_STEPS = 2;

  private boolean sustains(Figures f, double rate, double seconds, List<String> to) {
    Paced run = paced(rate, seconds, to);
    long p999 = run.latency.getValueAtPercentile(99.9);
    long first = run.firstThird.getValueAtPercentile(99);
    long last = run.lastThird.getValueAtPercentile(99);
    boolean noBacklog = last <= Math.max(1.25 * first, first + 50_000);
    BenchRunner.log("%s: paced %.1f msg/s → p99.9 %s ms, p99 of the first / last third %s / %s ms, %d lost", f.label,
        rate, Report.ms(run.latency, 99.9), Report.ms(run.firstThird, 99), Report.ms(run.lastThird, 99), run.lost);
    return run.lost == 0 && (p999 < SUSTAINED_P999_MICROS || (p999 < SUSTAINED_CEILING_P999_MICROS && noBacklog));
  }

  /** (b) Fan-out at half the maximum sustained rate: latency percentiles of every delivery. */
  void halfRate(Figures f, double seconds) {
    fixedRate(f, f.maxSustainedMessagesPerSecond / 2, seconds, topics);
  }

  /**
   * (b) Fan-out at {@code perSecond}, a rate every compared server runs at: latency and CPU per delivery. Called
   * once per round when the run comes in rounds (alternating between servers): the figures add up.
   */
  void latencyRun(Figures f, double perSecond, double seconds) {
    fixedRate(f, perSecond, seconds, topics);
  }

  /**
   * Fan-out at {@code perSecond} messages (each to every one of {@code to}): latency and CPU per delivery, added to
   * what earlier calls on the same figures measured (a round each), with this call's CPU per delivery kept apart.
   */
  void fixedRate(Figures f, double perSecond, double seconds, List<String> to) {
    f.halfRateMessagesPerSecond = perSecond;
    long cpu0 = cpu.nanos();
    Paced run = paced(perSecond, seconds, to);
    long cpuNanos = cpu.nanos() - cpu0;
    f.pacedRoundMicros.add(cpuNanos / 1000.0 / Math.max(1, run.received));
    f.pacedCpuNanos += cpuNanos;
    f.pacedDeliveries += run.received;
    f.pacedCpuMicrosPerDelivery = f.pacedCpuNanos / 1000.0 / Math.max(1, f.pacedDeliveries);
    f.pacedLost += run.lost;
    f.positioned += run.positioned;
    f.latency.add(run.latency);
    f.duplicates += run.duplicates;
    f.publishFailures += run.publishFailures;
  }

  private record Paced(long received, long lost, long duplicates, long positioned, int publishFailures,
      Histogram latency, Histogram firstThird, Histogram lastThird) {}

  private Paced paced(double perSecond, double seconds, List<String> to) {
    String event = "fan" + runs++;
    int messages = (int) Math.max(10, Math.min(100_000, perSecond * seconds));
    List<JsonNode> ready = GeneratorProcess.callAll(generators, i -> "fanout " + event + " " + messages, Duration.ofSeconds(10));
    int sockets = (int) sum(ready, "sockets");
    Publisher.Result sent = publisher.paced(to, event, messages, perSecond);
    long wait = 30 + (long) messages * sockets / 20_000;
    List<JsonNode> tallies = GeneratorProcess.callAll(generators, i -> "await " + messages + " " + wait,
        Duration.ofSeconds(wait + 30));
    Histogram latency = merged(tallies, "latencyHisto");
    JsonNode worst = tallies.stream().max(java.util.Comparator.comparingLong(t -> t.get("worstMicros").asLong())).orElseThrow();
    BenchRunner.log("%s: slowest delivery %.1f ms, message seq %d of %d", server.label,
        worst.get("worstMicros").asLong() / 1000.0, worst.get("worstSeq").asLong(), messages);
    return new Paced(sum(tallies, "received"), sum(tallies, "lost"), sum(tallies, "duplicates"), sum(tallies, "positioned"),
        sent.failed(), latency,
        merged(tallies, "firstThirdHisto"), merged(tallies, "lastThirdHisto"));
  }

  private static Histogram merged(List<JsonNode> tallies, String field) {
    Histogram h = new Histogram(3);
    tallies.forEach(t -> h.add(Histo.decode(t.get(field).asString())));
    return h;
  }

  /** (c) Closed-loop {@code ping} round trips on {@code sockets} sockets for {@code seconds}. */
  void echo(Figures f, int sockets, double seconds) {
    int g = generators.size();
    List<JsonNode> results = GeneratorProcess.callAll(generators, i -> "echo " + share(sockets, g, i) + " " + seconds + " 64",
        Duration.ofSeconds((long) seconds + 30));
    f.echoOk = sum(results, "ok");
    f.echoBad = sum(results, "bad");
    f.echoPerSecond = f.echoOk / seconds;
    results.forEach(r -> f.echoRtt.add(Histo.decode(r.get("rttHisto").asString())));
  }

  /** Whole-run counters: heartbeat replies, frames that were not what the protocol promised, surprise closes. */
  void stats(Figures f) {
    List<JsonNode> results = GeneratorProcess.callAll(generators, i -> "stats", Duration.ofSeconds(10));
    f.heartbeatReplies = sum(results, "heartbeatReplies");
    f.pollsWithMessages = sum(results, "pollsWithMessages");
    f.polledMessages = sum(results, "polledMessages");
    f.emptyPolls = sum(results, "emptyPolls");
    f.badFrames = sum(results, "badFrames");
    f.unexpectedCloses = sum(results, "unexpectedCloses");
    List<String> samples = new ArrayList<>();
    results.forEach(r -> { if (!r.get("badSamples").isEmpty()) samples.add(r.get("badSamples").toString()); });
    f.badSamples = String.join(" ", samples);
  }

  /** (d) A presence join storm on a fresh set of sockets of the first generator. */
  JsonNode presence(int joins, double perSecond) {
    GeneratorProcess first = generators.getFirst();
    return first.call("presence " + joins + " bench_presence:storm " + perSecond + " 15", Duration.ofSeconds(120));
  }

  /** Where a fan-out message goes by default. */
  List<String> topics() {
    return topics;
  }

  void closeAll() {
    GeneratorProcess.callAll(generators, i -> "close", Duration.ofSeconds(60));
  }

  private long generatorCpuNanos() {
    return generators.stream().mapToLong(g -> ProcStats.cpuNanos(g.pid())).sum();
  }

  private static long awaitSeconds(Figures f, int messages) {
    return 30 + (long) messages * f.joined / 20_000; // a floor of 20k deliveries/s, far below either server
  }

  private static int share(int total, int parts, int index) {
    return total / parts + (index < total % parts ? 1 : 0);
  }

  private static long sum(List<JsonNode> results, String field) {
    return results.stream().mapToLong(r -> r.get(field).asLong()).sum();
  }
}
