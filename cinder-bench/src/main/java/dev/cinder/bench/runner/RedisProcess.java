package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A {@code redis-server} of the run's own on a free loopback port, without persistence, as cinder-testkit's
 * {@code RedisServer} starts it for the cluster tests; stopped with the run (never the machine's Redis). {@link
 * #startCluster} starts several as the masters of a Redis Cluster (as cinder-testkit's {@code RedisCluster}, without
 * replicas: the run measures the shards, not a failover).
 */
final class RedisProcess implements AutoCloseable, CpuMeter {
  final int port;
  private final Process process;

  private RedisProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static RedisProcess start(Path logDir) {
    int port = BenchRunner.freePort();
    return started(port, List.of("--port", Integer.toString(port), "--save", "", "--appendonly", "no",
        "--bind", "127.0.0.1", "--loglevel", "warning"), logDir.resolve("redis.log"));
  }

  private static RedisProcess started(int port, List<String> args, Path log) {
    List<String> command = new ArrayList<>(List.of(binary()));
    command.addAll(args);
    Process p = Processes.command(command, log);
    RedisProcess redis = new RedisProcess(port, p);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!redis.accepting()) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        redis.close();
        throw new IllegalStateException("redis-server did not come up on port " + port + "; see " + log.getFileName());
      }
      Server.sleep(20);
    }
    return redis;
  }

  /**
   * {@code masters} cluster-enabled {@code redis-server}s (no persistence, each with a free cluster-bus port), the
   * 16,384 slots split evenly in order, joined with {@code CLUSTER MEET}; returns once every node reports
   * {@code cluster_state:ok}. The caller closes every process returned, and does on failure too (they are added to
   * {@code started} as they come up).
   */
  static List<RedisProcess> startCluster(Path logDir, int masters, List<AutoCloseable> started) {
    List<RedisProcess> nodes = new ArrayList<>();
    Path dir = logDir.toAbsolutePath(); // --dir moves the server there: a relative config path would then miss
    for (int i = 0; i < masters; i++) {
      int port = BenchRunner.freePort();
      int bus = BenchRunner.freePort();
      RedisProcess node = started(port, List.of("--port", Integer.toString(port), "--cluster-enabled", "yes",
          "--cluster-port", Integer.toString(bus), "--cluster-config-file", dir.resolve("nodes-" + port + ".conf").toString(),
          "--dir", dir.toString(), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--loglevel", "warning"),
          logDir.resolve("redis-cluster-" + i + ".log"));
      started.add(node);
      nodes.add(node);
      node.expectOk("CLUSTER", "SET-CONFIG-EPOCH", Integer.toString(i + 1));
      node.expectOk("CLUSTER", "ADDSLOTSRANGE", Integer.toString(i * 16384 / masters),
          Integer.toString((i + 1) * 16384 / masters - 1));
      if (i > 0) {
        nodes.getFirst().expectOk("CLUSTER", "MEET", "127.0.0.1", Integer.toString(port), Integer.toString(bus));
      }
    }
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (!nodes.stream().allMatch(node -> node.command("CLUSTER", "INFO").contains("cluster_state:ok")
        && node.command("CLUSTER", "NODES").lines().filter(line -> line.contains("master") && !line.contains("handshake"))
            .count() == masters)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the Redis Cluster did not become healthy within 30 s; see redis-cluster-*.log");
      }
      Server.sleep(50);
    }
    return nodes;
  }

  /** The adapter's URL for a cluster: {@code redis-cluster://} and every node's address. */
  static String clusterUrl(List<RedisProcess> nodes) {
    StringJoiner hosts = new StringJoiner(",", "redis-cluster://", "");
    nodes.forEach(node -> hosts.add("127.0.0.1:" + node.port));
    return hosts.toString();
  }

  private void expectOk(String... args) {
    String reply = command(args);
    if (!reply.equals("+OK")) {
      throw new IllegalStateException("redis-server on port " + port + " answered " + reply + " to " + String.join(" ", args));
    }
  }

  /** Calls per command since the server started ({@code INFO commandstats}), e.g. {@code evalsha → 1234}. */
  java.util.Map<String, Long> commandCalls() {
    java.util.Map<String, Long> calls = new java.util.TreeMap<>();
    command("INFO", "commandstats").lines().filter(line -> line.startsWith("cmdstat_")).forEach(line -> {
      int colon = line.indexOf(':');
      int from = line.indexOf("calls=", colon) + "calls=".length();
      int to = line.indexOf(',', from);
      calls.put(line.substring("cmdstat_".length(), colon), Long.parseLong(line.substring(from, to < 0 ? line.length() : to)));
    });
    return calls;
  }

  /** One command in RESP: the first line of the reply, or the whole of a bulk reply (INFO, CLUSTER NODES). */
  private String command(String... args) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      StringBuilder first = new StringBuilder();
      for (int c; (c = in.read()) != -1 && c != '\r'; ) {
        first.append((char) c);
      }
      in.read();
      if (first.charAt(0) != '$') {
        return first.toString();
      }
      return new String(in.readNBytes(Integer.parseInt(first.substring(1))), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  String url() {
    return "redis://127.0.0.1:" + port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public long[] userAndSystemNanos() {
    return ProcStats.userAndSystemNanos(pid());
  }

  private boolean accepting() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String binary() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      Path candidate = Path.of(dir, "redis-server");
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException("the cluster benchmark needs redis-server (apt-get install redis-server)");
  }

  @Override
  public void close() {
    Processes.stop(process);
  }
}
