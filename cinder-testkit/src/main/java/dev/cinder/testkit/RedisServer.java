package dev.cinder.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the test's own, on a free loopback port, as a child process the test can kill
 * and start again on the same port. Never the machine's Redis. Fails (never skips) when it is not installed.
 */
public final class RedisServer implements AutoCloseable {
  private final int port;
  private final List<String> args;
  private Process process;

  private RedisServer(int port, List<String> args) {
    this.port = port;
    this.args = args;
    // A test JVM that exits without @AfterAll (a failure in setup, a timeout) must not leave Redis behind.
    Runtime.getRuntime().addShutdownHook(new Thread(this::kill));
  }

  /** A plain Redis on a free port, with {@code extraArgs} such as {@code --requirepass secret}. */
  public static RedisServer launch(String... extraArgs) {
    requireBinary();
    int port = freePort();
    List<String> args = new ArrayList<>(List.of("--port", String.valueOf(port), "--save", "", "--appendonly", "no",
        "--bind", "127.0.0.1", "--loglevel", "warning"));
    args.addAll(List.of(extraArgs));
    return started(port, args);
  }

  /** A Redis that speaks only TLS on its port, with the given PEM certificate and key. */
  public static RedisServer launchTls(Path certificate, Path key) {
    requireBinary();
    int port = freePort();
    return started(port, List.of("--port", "0", "--tls-port", String.valueOf(port), "--tls-cert-file",
        certificate.toString(), "--tls-key-file", key.toString(), "--tls-ca-cert-file", certificate.toString(),
        "--tls-auth-clients", "no", "--save", "", "--appendonly", "no", "--bind", "127.0.0.1", "--loglevel", "warning"));
  }

  /** A Redis Sentinel watching the master at {@code masterPort} under the name {@code master}. */
  public static RedisServer launchSentinel(String master, int masterPort, Path dir) throws IOException {
    requireBinary();
    int port = freePort();
    Path config = dir.resolve("sentinel-" + port + ".conf"); // Sentinel insists on a config file it may rewrite
    Files.writeString(config, "port " + port + "\nbind 127.0.0.1\nsentinel monitor " + master + " 127.0.0.1 "
        + masterPort + " 1\n");
    return started(port, List.of(config.toString(), "--sentinel", "--loglevel", "warning"));
  }

  static RedisServer started(int port, List<String> args) {
    RedisServer server = new RedisServer(port, args);
    server.start();
    return server;
  }

  static void requireBinary() {
    if (binary() == null) {
      throw new IllegalStateException(
          "redis-server is not installed: run ./dev test, which installs it, or apt-get install redis-server");
    }
  }

  public int port() {
    return port;
  }

  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Starts the process (again, on the same port after {@link #kill()}) and waits until it serves commands: it
   * accepts connections and has loaded its data (a restarted server with a persistence file answers
   * {@code -LOADING} until then).
   */
  public synchronized void start() {
    List<String> command = new ArrayList<>(List.of(binary()));
    command.addAll(args);
    try {
      process = new ProcessBuilder(command).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot start redis-server", e);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!accepting() || !loaded()) {
      if (System.nanoTime() > deadline || !process.isAlive()) {
        throw new IllegalStateException("redis-server did not come up on port " + port);
      }
      sleep(20);
    }
  }

  /**
   * Whether the server has its data in memory: until then it answers a data command with {@code -LOADING}. A TLS
   * server is not asked (this check speaks plain RESP); any other answer, {@code -NOAUTH} included, means loaded.
   */
  private boolean loaded() {
    if (args.contains("--tls-port")) {
      return true;
    }
    try {
      return !command("EXISTS", "cinder:testkit:probe").startsWith("-LOADING");
    } catch (IOException e) {
      return false;
    }
  }

  /** SIGKILL, as when the Redis host dies: no goodbye to the clients. */
  public synchronized void kill() {
    if (process != null) {
      process.destroyForcibly();
      try {
        process.waitFor(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      process = null;
    }
  }

  /** SIGSTOP or SIGCONT: a Redis that hangs with its connections open, and wakes up again. */
  public synchronized void signal(String signal) throws IOException, InterruptedException {
    new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
  }

  /** Sends one command in RESP and returns the first line of the reply, e.g. {@code :1} or {@code +OK}. */
  public String command(String... args) throws IOException {
    return exchange(false, args);
  }

  /** Sends one command whose reply is a bulk string (such as INFO) and returns that string. */
  public String bulkCommand(String... args) throws IOException {
    return exchange(true, args);
  }

  private String exchange(boolean bulk, String... args) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      StringBuilder request = new StringBuilder("*").append(args.length).append("\r\n");
      for (String arg : args) {
        request.append('$').append(arg.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(arg).append("\r\n");
      }
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = socket.getInputStream();
      String first = readLine(in);
      if (!bulk || !first.startsWith("$")) {
        return first;
      }
      byte[] body = in.readNBytes(Integer.parseInt(first.substring(1)));
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    for (int c; (c = in.read()) != -1 && c != '\r'; ) {
      line.append((char) c);
    }
    in.read(); // the '\n'
    return line.toString();
  }

  @Override
  public void close() {
    kill();
  }

  private boolean accepting() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
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
    return null;
  }

  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
