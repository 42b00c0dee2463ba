package dev.cinder.bench.runner;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code redis-server} of the run's own on a free loopback port, without persistence, as cinder-testkit's
 * {@code RedisServer} starts it for the cluster tests; stopped with the run (never the machine's Redis).
 */
final class RedisProcess implements AutoCloseable, CpuMeter {
  final int port;
  private final Process process;

  private RedisProcess(int port, Process process) {
    this.port = port;
    this.process = process;
  }

  static RedisProcess start(Path logDir) {
    String binary = binary();
    int port = BenchRunner.freePort();
    Process p = Processes.command(List.of(binary, "--port", Integer.toString(port), "--save", "", "--appendonly", "no",
        "--bind", "127.0.0.1", "--loglevel", "warning"), logDir.resolve("redis.log"));
    RedisProcess redis = new RedisProcess(port, p);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!redis.accepting()) {
      if (System.nanoTime() > deadline || !p.isAlive()) {
        redis.close();
        throw new IllegalStateException("redis-server did not come up on port " + port + "; see redis.log");
      }
      Server.sleep(20);
    }
    return redis;
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
