package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * The whole-system scenarios, run by the bench runner against one server through its generator processes.
 * Each adds to a {@link Figures}; every wait is bounded.
 */
final class Scenarios {
  static final String TOPIC = "bench:fanout";
  private static int runs; // distinct event names keep a late frame of one run out of the next one's tally

  private final Server server;
  private final List<GeneratorProcess> generators;
  private final Publisher publisher;

  Scenarios(Server server, List<GeneratorProcess> generators) {
    this.server = server;
    this.generators = generators;
    this.publisher = new Publisher(server);
  }

  /** (a) Adds sockets until {@code total} are joined, spread evenly over the generators; RSS before and after. */
  void connect(Figures f, int alreadyJoined, double perSecond) {
    int add = f.scale - alreadyJoined;
    int g = generators.size();
    double rate = perSecond / g;
    long timeout = (long) (add / perSecond) + 120;
    List<JsonNode> results = GeneratorProcess.callAll(generators,
        i -> "connect " + share(add, g, i) + " " + TOPIC + " " + rate + " 256 " + timeout, Duration.ofSeconds(timeout + 30));
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
    server.settle(Duration.ofSeconds(4));
    f.rssJoinedKiB = server.rssKiB();
    f.openFiles = ProcStats.openFiles(server.pid());
  }

  /** (b) Fan-out as fast as the server drains it: deliveries/s and server CPU per delivery. */
  void burst(Figures f, int messages) {
    String event = "fan" + runs++;
    GeneratorProcess.callAll(generators, i -> "fanout " + event + " " + messages, Duration.ofSeconds(10));
    long cpu0 = server.cpuNanos();
    Publisher.Result sent = publisher.burst(TOPIC, event, messages, 4);
    List<JsonNode> tallies = GeneratorProcess.callAll(generators,
        i -> "await " + messages + " " + awaitSeconds(f, messages), Duration.ofSeconds(awaitSeconds(f, messages) + 30));
    long cpu = server.cpuNanos() - cpu0;
    long received = sum(tallies, "received");
    long last = tallies.stream().mapToLong(t -> t.get("lastMicros").asLong()).max().orElse(0);
    f.burstDeliveries = received;
    f.burstLost = sum(tallies, "lost");
    f.duplicates += sum(tallies, "duplicates");
    f.publishFailures += sent.failed();
    f.deliveriesPerSecond = received / Math.max(1e-6, (last - sent.startMicros()) / 1e6);
    f.cpuMicrosPerDelivery = cpu / 1000.0 / Math.max(1, received);
  }

  /** (b) Fan-out at half the rate the burst sustained: latency percentiles of every delivery. */
  void paced(Figures f, double seconds) {
    String event = "fan" + runs++;
    double maxMessagesPerSecond = f.deliveriesPerSecond / Math.max(1, f.joined);
    f.halfRateMessagesPerSecond = maxMessagesPerSecond / 2;
    int messages = (int) Math.max(10, Math.min(100_000, f.halfRateMessagesPerSecond * seconds));
    GeneratorProcess.callAll(generators, i -> "fanout " + event + " " + messages, Duration.ofSeconds(10));
    Publisher.Result sent = publisher.paced(TOPIC, event, messages, f.halfRateMessagesPerSecond);
    List<JsonNode> tallies = GeneratorProcess.callAll(generators,
        i -> "await " + messages + " " + awaitSeconds(f, messages), Duration.ofSeconds(awaitSeconds(f, messages) + 30));
    f.pacedDeliveries = sum(tallies, "received");
    f.pacedLost = sum(tallies, "lost");
    f.duplicates += sum(tallies, "duplicates");
    f.publishFailures += sent.failed();
    tallies.forEach(t -> f.latency.add(Histo.decode(t.get("latencyHisto").asString())));
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

  void closeAll() {
    GeneratorProcess.callAll(generators, i -> "close", Duration.ofSeconds(60));
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
