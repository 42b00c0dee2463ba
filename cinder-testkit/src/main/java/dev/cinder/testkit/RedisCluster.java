package dev.cinder.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A Redis Cluster of the test's own: three masters, each with one replica (so a master may die and its replica
 * take over), every node a {@code redis-server} on free loopback ports (client and cluster bus), its files in a
 * temporary directory. Built with plain cluster commands ({@code ADDSLOTSRANGE}, {@code MEET}, {@code
 * REPLICATE}), so no {@code redis-cli} is needed; {@link #launch} returns once every node sees the whole cluster
 * healthy. {@link #close} stops every node and deletes the directory, and a JVM that exits early stops them too.
 * Needs Redis 7 or later (sharded pub/sub). Nodes time out after {@value #NODE_TIMEOUT_MS} ms, so a replica takes
 * over from a dead master within a few seconds.
 */
public final class RedisCluster implements AutoCloseable {
  /** {@code cluster-node-timeout}: how long a master stays unreachable before its replica may take over. */
  public static final int NODE_TIMEOUT_MS = 1000;
  private static final int SLOTS = 16384;
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

  private final Path dir;
  private final List<RedisServer> nodes = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final List<Integer> busPorts = new ArrayList<>();
  private final List<Integer> deadNodes = new ArrayList<>();
  private final int shards;
  // masterOf[shard] and replicaOf[shard]: indexes into nodes, swapped by a failover; -1 once a node is dead.
  private final int[] masterOf;
  private final int[] replicaOf;

  private RedisCluster(Path dir, int shards) {
    this.dir = dir;
    this.shards = shards;
    this.masterOf = new int[shards];
    this.replicaOf = new int[shards];
  }

  /** Three masters with one replica each, the slots split evenly in order: shard 0 holds slots 0 to 5460. */
  public static RedisCluster launch() {
    RedisServer.requireBinary();
    Path dir;
    try {
      dir = Files.createTempDirectory("cinder-redis-cluster");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    RedisCluster cluster = new RedisCluster(dir, 3);
    try {
      cluster.build();
      return cluster;
    } catch (RuntimeException | IOException e) {
      cluster.close();
      throw new IllegalStateException("cannot build a Redis Cluster: " + e.getMessage(), e);
    }
  }

  private void build() throws IOException {
    for (int i = 0; i < 2 * shards; i++) {
      int port = RedisServer.freePort();
      int busPort = RedisServer.freePort();
      busPorts.add(busPort);
      nodes.add(RedisServer.started(port, List.of("--port", String.valueOf(port), "--cluster-enabled", "yes",
          "--cluster-port", String.valueOf(busPort), "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
          "--cluster-node-timeout", String.valueOf(NODE_TIMEOUT_MS), "--cluster-replica-validity-factor", "0",
          "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--loglevel", "warning")));
      ids.add(nodes.get(i).bulkCommand("CLUSTER", "MYID"));
      // Distinct epochs from the start, so the nodes need not resolve collisions before they agree.
      expectOk(nodes.get(i).command("CLUSTER", "SET-CONFIG-EPOCH", String.valueOf(i + 1)));
    }
    for (int shard = 0; shard < shards; shard++) {
      masterOf[shard] = shard;
      replicaOf[shard] = shards + shard;
      expectOk(nodes.get(shard).command("CLUSTER", "ADDSLOTSRANGE", String.valueOf(firstSlot(shard)),
          String.valueOf(firstSlot(shard + 1) - 1)));
    }
    RedisServer first = nodes.getFirst();
    for (int i = 1; i < nodes.size(); i++) {
      expectOk(first.command("CLUSTER", "MEET", "127.0.0.1", String.valueOf(nodes.get(i).port()),
          String.valueOf(busPorts.get(i))));
    }
    await("every node to know the others", () -> everyLiveNode(node -> nodeLines(node).stream()
        .filter(line -> !line.contains("handshake") && !line.contains("noaddr")).count() == nodes.size()));
    for (int shard = 0; shard < shards; shard++) {
      expectOk(nodes.get(replicaOf[shard]).command("CLUSTER", "REPLICATE", ids.get(masterOf[shard])));
    }
    await("the replicas to be in sync and the cluster to be healthy everywhere", this::healthy);
  }

  private static int firstSlot(int shard) {
    return shard * SLOTS / 3;
  }

  /** The URL the adapter takes: {@code redis-cluster://} and every master's address. */
  public String url() {
    StringJoiner hosts = new StringJoiner(",", "redis-cluster://", "");
    for (int shard = 0; shard < shards; shard++) {
      hosts.add("127.0.0.1:" + nodes.get(masterOf[shard]).port());
    }
    return hosts.toString();
  }

  public int shards() {
    return shards;
  }

  /** The shard a key or channel hashes to (Redis's own {@code CLUSTER KEYSLOT}). */
  public int shardOf(String channel) {
    int slot = Integer.parseInt(command(liveNode(), "CLUSTER", "KEYSLOT", channel).substring(1));
    for (int shard = shards - 1; shard >= 0; shard--) {
      if (slot >= firstSlot(shard)) {
        return shard;
      }
    }
    throw new IllegalStateException("slot " + slot);
  }

  /** The process serving a shard now: its first master, or after {@link #killMaster} the (promoted) replica. */
  public RedisServer master(int shard) {
    return nodes.get(masterOf[shard]);
  }

  /**
   * Kills a shard's master (SIGKILL, no goodbye) and returns at once: the shard has no master until its replica
   * takes over ({@link #awaitFailover}). The shard has no replica afterwards.
   */
  public void killMaster(int shard) {
    int master = masterOf[shard];
    int replica = replicaOf[shard];
    if (replica < 0) {
      throw new IllegalStateException("shard " + shard + " has no replica left");
    }
    nodes.get(master).kill();
    deadNodes.add(master);
    masterOf[shard] = replica;
    replicaOf[shard] = -1;
  }

  /**
   * Returns once the replica of a shard whose master was killed is master and every live node sees the cluster
   * healthy again (polling {@code INFO replication}, {@code CLUSTER INFO} and {@code CLUSTER NODES}), within 30 s.
   */
  public void awaitFailover(int shard) {
    RedisServer promoted = nodes.get(masterOf[shard]);
    await("the replica of shard " + shard + " to take over",
        () -> info(promoted, "INFO", "replication").contains("role:master") && healthy());
  }

  /** {@link #killMaster} and {@link #awaitFailover}. */
  public void failover(int shard) {
    killMaster(shard);
    awaitFailover(shard);
  }

  /** Every live node reports cluster_state:ok, knows each master's slots, and each replica is in sync. */
  private boolean healthy() {
    for (int shard = 0; shard < shards; shard++) {
      if (replicaOf[shard] >= 0 && !info(nodes.get(replicaOf[shard]), "INFO", "replication").contains("master_link_status:up")) {
        return false;
      }
    }
    return everyLiveNode(node -> {
      if (!info(node, "CLUSTER", "INFO").contains("cluster_state:ok")) {
        return false;
      }
      List<String> lines = nodeLines(node);
      for (int shard = 0; shard < shards; shard++) {
        String master = ids.get(masterOf[shard]);
        String slots = " " + firstSlot(shard) + "-";
        if (lines.stream().noneMatch(line -> line.startsWith(master + " ") && line.contains("master")
            && !line.contains("fail") && line.contains(slots))) {
          return false;
        }
        int replica = replicaOf[shard];
        if (replica >= 0 && lines.stream().noneMatch(line -> line.startsWith(ids.get(replica) + " ")
            && line.contains("slave " + master))) {
          return false;
        }
      }
      return true;
    });
  }

  private boolean everyLiveNode(java.util.function.Predicate<RedisServer> check) {
    for (int i = 0; i < nodes.size(); i++) {
      if (!deadNodes.contains(i) && !check.test(nodes.get(i))) {
        return false;
      }
    }
    return true;
  }

  private RedisServer liveNode() {
    return nodes.get(masterOf[0]); // a master is never a dead node: a failover puts its replica in its place
  }

  private static List<String> nodeLines(RedisServer node) {
    return info(node, "CLUSTER", "NODES").lines().filter(line -> !line.isBlank()).toList();
  }

  private static String info(RedisServer node, String... command) {
    try {
      return node.bulkCommand(command);
    } catch (IOException e) {
      return "";
    }
  }

  private static String command(RedisServer node, String... command) {
    try {
      return node.command(command);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void expectOk(String reply) {
    if (!reply.equals("+OK")) {
      throw new IllegalStateException("Redis answered " + reply);
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT_NANOS;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting for " + what);
      }
      RedisServer.sleep(50);
    }
  }

  /** Stops every node and deletes their files. */
  @Override
  public void close() {
    nodes.forEach(RedisServer::close);
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Best effort: the directory is under the system's temporary directory.
    }
  }

  @Override
  public String toString() {
    return "RedisCluster" + Arrays.toString(nodes.stream().map(RedisServer::port).toArray());
  }
}
