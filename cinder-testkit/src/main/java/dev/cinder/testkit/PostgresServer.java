package dev.cinder.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of the test's own: a fresh cluster made by {@code initdb} in a temporary directory,
 * listening on a free loopback port, user {@code postgres} without password, stopped and deleted by
 * {@link #close()}. Never the machine's PostgreSQL, even when one answers on 5432. PostgreSQL refuses to run as
 * root, so as root the server runs as the system user {@code postgres} that Debian's package creates.
 * Fails (never skips) when PostgreSQL is not installed.
 */
public final class PostgresServer implements AutoCloseable {
  /** The superuser of the test's cluster; it connects without a password. */
  public static final String USER = "postgres";
  private static final String READY = "database system is ready to accept connections";
  private static final long START_SECONDS = 60;

  private final Path dir;
  private final int port;
  private final Process process;
  private final Thread cleanupAtExit = new Thread(this::killAndDelete);

  private PostgresServer(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
    // A test JVM that exits without @AfterAll (a failure in setup, a timeout) must not leave PostgreSQL behind.
    Runtime.getRuntime().addShutdownHook(cleanupAtExit);
  }

  /** Makes a cluster and starts it; returns once it accepts connections. */
  public static PostgresServer launch() {
    Path bin = binDirectory();
    List<String> runAs = runAsPrefix();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("cinder-postgres-");
      if (!runAs.isEmpty()) {
        giveTo(dir, USER);
      }
      Path data = dir.resolve("data");
      run(runAs, dir.resolve("initdb.log"), bin.resolve("initdb").toString(), "-D", data.toString(), "-U", USER,
          "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync");
      int port = RedisServer.freePort();
      Process process = start(runAs, dir.resolve("postgres.log"), bin.resolve("postgres").toString(), "-D",
          data.toString(), "-p", String.valueOf(port), "-c", "listen_addresses=127.0.0.1",
          "-c", "unix_socket_directories=" + dir, "-c", "fsync=off", "-c", "synchronous_commit=off",
          "-c", "full_page_writes=off", "-c", "shared_buffers=16MB");
      PostgresServer server = new PostgresServer(dir, port, process);
      server.awaitReady();
      return server;
    } catch (IOException e) {
      deleteQuietly(dir);
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      deleteQuietly(dir);
      throw e;
    }
  }

  public int port() {
    return port;
  }

  /** A JDBC URL for a database of this server (the cluster starts with {@code postgres}). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + USER;
  }

  /** The same database as a {@code postgres://user@host:port/db} URL. */
  public String url(String database) {
    return "postgres://" + USER + "@127.0.0.1:" + port + "/" + database;
  }

  /** A fast shutdown (SIGINT: sessions are ended, the server exits cleanly), then the directory is deleted. */
  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        new ProcessBuilder("kill", "-INT", String.valueOf(process.pid())).inheritIO().start().waitFor();
        process.waitFor(30, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      // kill(1) missing: the SIGKILL below ends it anyway
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    killAndDelete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupAtExit);
    } catch (IllegalStateException e) {
      // the JVM is already exiting: the hook runs, harmlessly
    }
  }

  private synchronized void killAndDelete() {
    process.destroyForcibly(); // the server's children exit when they see their postmaster gone
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteQuietly(dir);
  }

  private void awaitReady() {
    Path log = dir.resolve("postgres.log");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_SECONDS);
    while (!read(log).contains(READY)) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        String why = process.isAlive() ? "is not ready after " + START_SECONDS + " s" : "exited";
        killAndDelete();
        throw new IllegalStateException("PostgreSQL on port " + port + " " + why + "; its log:\n" + read(log));
      }
      RedisServer.sleep(20);
    }
  }

  /**
   * The directory holding {@code initdb} and {@code postgres}: on the PATH, else Debian's
   * {@code /usr/lib/postgresql/<version>/bin} (the newest version), where the package puts them.
   */
  private static Path binDirectory() {
    List<Path> candidates = new ArrayList<>();
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (!dir.isEmpty()) {
        candidates.add(Path.of(dir));
      }
    }
    try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
      versions.sorted(Comparator.comparing((Path p) -> versionOf(p)).reversed())
          .forEach(version -> candidates.add(version.resolve("bin")));
    } catch (IOException e) {
      // not Debian's layout
    }
    for (Path dir : candidates) {
      if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres"))) {
        return dir;
      }
    }
    throw new IllegalStateException("PostgreSQL is not installed (no initdb and postgres on the PATH or under "
        + "/usr/lib/postgresql/*/bin): run ./dev test, which installs it, or apt-get install postgresql");
  }

  private static int versionOf(Path dir) {
    try {
      return Integer.parseInt(dir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** Nothing when the JVM is not root; else setpriv to the {@code postgres} user, which exec()s the command. */
  private static List<String> runAsPrefix() {
    if (!isRoot()) {
      return List.of();
    }
    if (!userExists(USER)) {
      throw new IllegalStateException("PostgreSQL refuses to run as root and there is no '" + USER + "' user to run "
          + "it as: install Debian's postgresql package (it creates the user) or run the tests as another user");
    }
    return List.of("setpriv", "--reuid=" + USER, "--regid=" + USER, "--init-groups", "--");
  }

  private static boolean isRoot() {
    try {
      return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return "root".equals(System.getProperty("user.name"));
    }
  }

  private static boolean userExists(String name) {
    try {
      Path.of("/").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(name);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void giveTo(Path dir, String user) throws IOException {
    UserPrincipalLookupService users = dir.getFileSystem().getUserPrincipalLookupService();
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
    view.setOwner(users.lookupPrincipalByName(user));
    try {
      view.setGroup(users.lookupPrincipalByGroupName(user));
    } catch (IOException e) {
      // no group of that name: the owner alone is what initdb checks
    }
  }

  private static void run(List<String> runAs, Path log, String... command) throws IOException {
    Process process = start(runAs, log, command);
    try {
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s; its output:\n" + read(log));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + command[0], e);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + process.exitValue()
          + "; its output:\n" + read(log));
    }
  }

  private static Process start(List<String> runAs, Path log, String... command) throws IOException {
    List<String> full = new ArrayList<>(runAs);
    full.addAll(List.of(command));
    return new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null || !Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException | java.io.UncheckedIOException e) {
      // a temporary directory left behind is harmless
    }
  }
}
