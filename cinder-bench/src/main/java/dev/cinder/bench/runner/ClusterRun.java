package dev.cinder.bench.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Issue 7: cross-node fan-out. A {@code redis-server} of the run's own and two example nodes ({@code PUBSUB=redis},
 * distinct {@code NODE_NAME}s, one {@code SECRET_KEY_BASE}); every broadcast goes through node A's admin API.
 * <ul>
 *   <li>one node: N subscribers of {@code bench:single}, all on node A;
 *   <li>two nodes: N subscribers of {@code bench:cross}, half on A and half on B, so half the deliveries cross Redis.
 * </ul>
 * Each case has two generator JVMs of N/2 clients, both fleets stay joined, phases alternate. Server CPU is the sum of
 * both nodes and Redis in both cases. In the one-node case A still publishes each broadcast to Redis (no node
 * subscribes to it, so Redis forwards nothing): one PUBLISH per message, not per delivery.
 *
 * <p>{@code --redis=cluster} (issue 13) runs two two-node cases instead, side by side: over one {@code redis-server},
 * and over a Redis Cluster of three masters ({@code REDIS_URL=redis-cluster://…}: sharded pub/sub). Both spread
 * their N subscribers over {@value #SPREAD_TOPICS} topics ({@code bench:spread-0} … ; client i joins topic i mod
 * {@value #SPREAD_TOPICS}) and broadcast to them in turn, so the cluster's topics land on all three shards. Each case
 * has its own pair of nodes; server CPU is that pair plus its Redis (one process, or the three masters).
 */
final class ClusterRun {
  static final int SPREAD_TOPICS = 12;
  private final Profile profile;
  private final Path runDir;
  private final int rounds;
  private final boolean redisCluster;

  ClusterRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
    String redis = options.getOrDefault("redis", "one");
    if (!redis.equals("one") && !redis.equals("cluster")) {
      throw new IllegalArgumentException("--redis is one (the default: one node beside two over one Redis) or cluster "
          + "(two nodes over one Redis beside two over a Redis Cluster), got " + redis);
    }
    this.redisCluster = redis.equals("cluster");
  }

  String run() {
    return redisCluster ? runOverRedisCluster() : runOverOneRedis();
  }

  private String runOverOneRedis() {
    long start = System.nanoTime();
    int n = profile.scales().getFirst();
    List<AutoCloseable> started = new ArrayList<>();
    List<Figures> all = new ArrayList<>();
    String where;
    List<String> sameRate;
    try {
      RedisProcess redis = RedisProcess.start(runDir);
      started.add(redis);
      Server a = node("a", redis);
      started.add(a);
      Server b = node("b", redis);
      started.add(b);
      where = Report.fmt("redis-server pid %d on port %d; node a pid %d, node b pid %d", redis.pid(), redis.port, a.pid(), b.pid());
      BenchRunner.log(where);
      List<GeneratorProcess> single = List.of(generator(0, a, started), generator(1, a, started));
      List<GeneratorProcess> cross = List.of(generator(2, a, started), generator(3, b, started));
      CpuMeter cpu = CpuMeter.sum(List.of(a, b, redis));
      Scenarios one = new Scenarios(a, cpu, single, "bench:single", List.of("bench:single"), false, false, runDir);
      Scenarios two = new Scenarios(a, cpu, cross, "bench:cross", List.of("bench:cross"), false, false, runDir);
      sameRate = compare(new Cases.Case(one, new Figures("one node", n)), new Cases.Case(two, new Figures("two nodes", n)), all);
    } finally {
      stopAll(started);
    }
    Report report = new Report(all, "two nodes", "one node", false);
    report.addComparison(sameRate, Report.fmt("Two example nodes (PUBSUB=redis, PER_TOPIC mapping) and a redis-server of the run's own; %s. "
        + "Broadcasts through node A's admin API; %,d subscribers per case (one node: all on A; two nodes: %,d on A, %,d on B), "
        + "two generator JVMs per case; server CPU = node A + node B + Redis; %d burst rounds (median); run took %.0f s; logs in %s",
        where, n, n - n / 2, n / 2, rounds, (System.nanoTime() - start) / 1e9, runDir));
    String text = report.toString();
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  private String runOverRedisCluster() {
    long start = System.nanoTime();
    int n = profile.scales().getFirst();
    List<AutoCloseable> started = new ArrayList<>();
    List<Figures> all = new ArrayList<>();
    String where;
    List<String> sameRate;
    String join = "bench:spread-{" + SPREAD_TOPICS + "}";
    List<String> topics = dev.cinder.bench.client.Topics.expand(join);
    try {
      RedisProcess redis = RedisProcess.start(runDir);
      started.add(redis);
      List<RedisProcess> shards = RedisProcess.startCluster(runDir, 3, started);
      Server a = node("a", redis.url());
      started.add(a);
      Server b = node("b", redis.url());
      started.add(b);
      Server c = node("c", RedisProcess.clusterUrl(shards));
      started.add(c);
      Server d = node("d", RedisProcess.clusterUrl(shards));
      started.add(d);
      where = Report.fmt("redis-server pid %d; nodes a, b pids %d, %d over it; Redis Cluster masters pids %s; nodes c, d "
          + "pids %d, %d over it", redis.pid(), a.pid(), b.pid(), shards.stream().map(s -> Long.toString(s.pid())).toList(),
          c.pid(), d.pid());
      BenchRunner.log(where);
      List<GeneratorProcess> overOne = List.of(generator(0, a, started), generator(1, b, started));
      List<GeneratorProcess> overCluster = List.of(generator(2, c, started), generator(3, d, started));
      List<CpuMeter> clusterCpu = new ArrayList<>(List.of(c, d));
      clusterCpu.addAll(shards);
      Scenarios one = new Scenarios(a, CpuMeter.sum(List.of(a, b, redis)), overOne, join, topics, false, false, runDir);
      Scenarios sharded = new Scenarios(c, CpuMeter.sum(clusterCpu), overCluster, join, topics, false, false, runDir);
      sameRate = compare(new Cases.Case(one, new Figures("two nodes, one Redis", n)),
          new Cases.Case(sharded, new Figures("two nodes, Redis Cluster", n)), all);
    } finally {
      stopAll(started);
    }
    Report report = new Report(all, "two nodes, Redis Cluster", "two nodes, one Redis", false);
    report.addComparison(sameRate, Report.fmt("Two pairs of example nodes (PUBSUB=redis, PER_TOPIC mapping): a, b over one redis-server, c, d "
        + "over a Redis Cluster of three masters without replicas (sharded pub/sub); %s. Broadcasts through node a's or c's "
        + "admin API to %d topics in turn; %,d subscribers per case (%,d on each node of the pair, client i on topic i mod %d), "
        + "two generator JVMs per case; server CPU = the pair's nodes + their Redis; %d burst rounds (median); run took %.0f s; "
        + "logs in %s", where, SPREAD_TOPICS, n, n / 2, SPREAD_TOPICS, rounds, (System.nanoTime() - start) / 1e9, runDir));
    String text = report.toString();
    BenchRunner.write(runDir.resolve("results.md"), text);
    return text;
  }

  /** Warms both cases up, joins their clients, and compares them ({@link Cases#compare}); their figures go to {@code all}. */
  private List<String> compare(Cases.Case first, Cases.Case second, List<Figures> all) {
    List<Cases.Case> cases = List.of(first, second);
    cases.forEach(c -> Cases.warmUp(c.scenarios(), profile));
    cases.forEach(c -> {
      all.add(c.figures());
      c.scenarios().connect(c.figures(), 0, profile.connectsPerSecond());
      BenchRunner.log("%s: %,d joined", c.figures().label, c.figures().joined);
    });
    Server.sleep(2_000); // the nodes' SUBSCRIBEs (SSUBSCRIBEs on a cluster) are confirmed by Redis asynchronously
    return Cases.compare(cases, profile, rounds);
  }

  private Server node(String name, RedisProcess redis) {
    return node(name, redis.url());
  }

  private Server node(String name, String redisUrl) {
    ServerSpec spec = ServerSpec.of(Server.Kind.CINDER).withLabel("node " + name)
        .withEnv(Map.of("PUBSUB", "redis", "REDIS_URL", redisUrl, "NODE_NAME", "bench-" + name));
    return Server.start(spec, BenchRunner.freePort(), runDir, profile.serverFlags());
  }

  private GeneratorProcess generator(int index, Server server, List<AutoCloseable> started) {
    GeneratorProcess g = GeneratorProcess.start(index, server, profile.sourcesPerGenerator(), 1, runDir);
    started.add(g);
    return g;
  }

  /** Stops what a run started, last started first; one that fails to stop is logged and the others still stop. */
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
