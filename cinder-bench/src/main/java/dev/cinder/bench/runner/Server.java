package dev.cinder.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A server under test in its own JVM: the Cinder example ({@code ChatApp}) or the raw baseline, started with the
 * same JVM flags so that per-process RSS and CPU compare like with like.
 */
public final class Server implements AutoCloseable, CpuMeter {
  /**
   * The JVM flags every server starts with: those of the README's run command ({@code ./dev example}), which
   * {@code ./dev bench} passes as the system property {@code cinder.serverJvmFlags} (whitespace-separated) so that the
   * bench measures what users run; {@code --jvmFlags=a,b} replaces them, {@code --serverFlags=a,b} adds to them.
   * Outside {@code ./dev} (an IDE, a test), {@link #DEFAULT_JVM_FLAGS}: keep them equal to the {@code dev} script's.
   */
  static List<String> jvmFlags() {
    String flags = System.getProperty("cinder.serverJvmFlags");
    return flags == null || flags.isBlank() ? DEFAULT_JVM_FLAGS : List.of(flags.trim().split("\\s+"));
  }

  static final List<String> DEFAULT_JVM_FLAGS = List.of("-XX:+UseG1GC", "-Xms16m", "-Xmx512m", "-XX:MaxGCPauseMillis=25",
      "-XX:G1PeriodicGCInterval=5000", "-XX:MinHeapFreeRatio=10", "-XX:MaxHeapFreeRatio=30", "-XX:-G1UseAdaptiveIHOP",
      "-XX:InitiatingHeapOccupancyPercent=75", "-XX:+UseCompactObjectHeaders");

  public enum Kind {
    CINDER("dev.cinder.example.chat.ChatApp"),
    BASELINE("dev.cinder.bench.baseline.BaselineServer"),
    /** The bench's own small Cinder app ({@code MiniApp}): the example's bench topics, served over long-poll too. */
    MINI("dev.cinder.bench.mini.MiniApp"),
    /** MiniApp as a Spring Boot application on cinder-spring-boot-starter ({@code SpringMiniApp}). */
    SPRING("dev.cinder.bench.mini.SpringMiniApp");

    final String mainClass;

    Kind(String mainClass) {
      this.mainClass = mainClass;
    }
  }

  public final Kind kind;
  public final String label;
  public final ServerSpec spec;
  public final int port;
  public final String secret;
  public final String adminToken;
  private final Process process;

  private Server(ServerSpec spec, int port, String secret, String adminToken, Process process) {
    this.kind = spec.kind();
    this.label = spec.label();
    this.spec = spec;
    this.port = port;
    this.secret = secret;
    this.adminToken = adminToken;
    this.process = process;
  }

  /**
   * Starts the server of {@code spec} with the common flags (or the spec's replacement for them), then
   * {@code extraFlags}, then the spec's own.
   */
  public static Server start(ServerSpec spec, int port, Path logDir, List<String> extraFlags) {
    String secret = "bench-secret-key-base-0123456789abcdef0123456789abcdef"; // one secret: nodes of a cluster share it
    String admin = "bench-admin-" + spec.kind().name().toLowerCase();
    List<String> flags = new ArrayList<>(spec.jvmFlags() != null ? spec.jvmFlags() : jvmFlags());
    flags.addAll(extraFlags);
    flags.addAll(spec.flags());
    Map<String, String> env = new java.util.LinkedHashMap<>(Map.of("PORT", Integer.toString(port), "SECRET_KEY_BASE", secret,
        "ADMIN_TOKEN", admin, "LOG_LEVEL", "WARN"));
    if (spec.kind() == Kind.CINDER) {
      // The bench topics store nothing; an in-memory H2 per process lets two example JVMs run side by side
      // (the default H2 file under ./data/ is locked by the first one).
      env.put("DATABASE_URL", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1");
      // The echo clients are closed-loop (each sends its next ping as soon as the reply arrives): far above a
      // person's message rate, so the per-connection inbound limit is raised; its check still runs on every frame.
      env.put("INBOUND_LIMIT", "1000000/1000");
    }
    env.putAll(spec.env());
    String classpath = spec.classpath() != null ? spec.classpath() : System.getProperty("java.class.path");
    Process p = Processes.java(classpath, flags, spec.kind().mainClass, List.of(), env, logDir.resolve(spec.slug() + "-server.log"), false);
    Server server = new Server(spec, port, secret, admin, p);
    server.awaitHealthy(Duration.ofSeconds(30));
    return server;
  }

  public long pid() {
    return process.pid();
  }

  public long rssKiB() {
    return ProcStats.rssKiB(pid());
  }

  @Override
  public long[] userAndSystemNanos() {
    return ProcStats.userAndSystemNanos(pid());
  }

  /** What a settled server holds: its RSS as {@code ps} shows it, and its live Java heap. */
  public record Settled(long rssKiB, long liveHeapBytes) {}

  /**
   * Waits until the server's RSS has held still (within 256 KiB) for {@link #STILL_SECONDS} seconds in a row, at most
   * {@code max}, and reads it: what {@code ps} shows once the server is left alone, with whatever heap the collector
   * keeps committed. Then counts the live heap exactly ({@code GC.class_histogram} runs a full GC and sums live
   * objects; read after the RSS, so the forced GC does not shrink the RSS reported). {@code histogram}, when not
   * null, receives the whole class histogram.
   */
  public Settled settle(Duration max, java.util.function.Consumer<String> histogram) {
    long deadline = System.nanoTime() + max.toNanos();
    long previous = rssKiB();
    int still = 0;
    while (still < STILL_SECONDS && System.nanoTime() < deadline) {
      sleep(1_000);
      long now = rssKiB();
      still = Math.abs(now - previous) < 256 ? still + 1 : 0;
      previous = now;
    }
    String text = jcmd("GC.class_histogram");
    if (histogram != null) {
      histogram.accept(text);
    }
    var total = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)").matcher(text);
    if (!total.find()) {
      throw new IllegalStateException("no Total line in the class histogram of " + label);
    }
    return new Settled(previous, Long.parseLong(total.group(1)));
  }

  /**
   * Seconds in a row the RSS must hold still to count as settled: longer than G1 takes to give back what a burst
   * left committed once the server is quiet (its periodic collection starts 5 to 10 s after the last GC, with the
   * example's {@code G1PeriodicGCInterval=5000}), so that the reading is not taken just before that.
   */
  static final int STILL_SECONDS = 12;

  public String jcmd(String... command) {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
        Long.toString(pid())));
    cmd.addAll(List.of(command));
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("jcmd " + String.join(" ", command), e);
    }
  }

  private void awaitHealthy(Duration timeout) {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(label + " server exited at start; see its log");
      }
      try {
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (response.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
      sleep(100);
    }
    throw new IllegalStateException(label + " server not healthy within " + timeout);
  }

  @Override
  public void close() {
    Processes.stop(process);
  }

  static void sleep(long ms) {
    sleep(ms, 0);
  }

  static void sleep(long ms, int nanos) {
    try {
      Thread.sleep(ms, nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
