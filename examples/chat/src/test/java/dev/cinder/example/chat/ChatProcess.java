package dev.cinder.example.chat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The example as a real separate JVM ({@code java dev.cinder.example.chat.ChatApp}, or the main class the system
 * property {@value #MAIN_CLASS} names, from this JVM's class path), configured only by its environment like
 * {@code ./dev example}, in a working directory of the test's choosing; PORT is 0 unless the test names one, and
 * the port is read from the log (stdout). Its stderr is kept apart. {@link #close()} kills it
 * if it still runs.
 */
public final class ChatProcess implements AutoCloseable {
  /** The system property naming another implementation's main class, e.g. the Spring Boot example's. */
  static final String MAIN_CLASS = "chat.mainClass";
  private static final Pattern LISTENING = Pattern.compile("listening on http://localhost:(\\d+)");

  private final Process process;
  private final List<String> output = new ArrayList<>();
  private final List<String> errors = new ArrayList<>();
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final CompletableFuture<Void> errorsRead = new CompletableFuture<>();

  private ChatProcess(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().name("chat-process-output").start(this::pump);
    Thread.ofPlatform().daemon().name("chat-process-errors").start(this::pumpErrors);
  }

  static ChatProcess start(Path workingDir, Map<String, String> env) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    String classpath = System.getProperty("java.class.path");
    ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "--sun-misc-unsafe-memory-access=allow", "--enable-native-access=ALL-UNNAMED",
        "-Dlogback.configurationFile=logback.xml", // the app's own logging, not the tests' quiet one
        "-Dlogging.config=classpath:logback.xml", // the same for Spring Boot, which reads its own property
        "-cp", classpath, System.getProperty(MAIN_CLASS, ChatApp.class.getName()))
        .directory(workingDir.toFile());
    return start(builder, env);
  }

  /**
   * {@code ./dev example} itself, from the build this test runs in ({@code CINDER_SKIP_BUILD=1}): the command a
   * user types, with the JVM flags the script chooses. It runs in examples/chat/, so give it a DATABASE_URL.
   */
  static ChatProcess startDevScript(Map<String, String> env) throws IOException {
    return startDevScript("example", env);
  }

  /** {@code ./dev <command>} (e.g. {@code spring-chat}) the same way, from a test run in a module under examples/. */
  public static ChatProcess startDevScript(String command, Map<String, String> env) throws IOException {
    Path repository = Path.of("").toAbsolutePath().getParent().getParent(); // tests run in examples/<module>/
    ProcessBuilder builder = new ProcessBuilder(repository.resolve("dev").toString(), command).directory(repository.toFile());
    builder.environment().put("CINDER_SKIP_BUILD", "1");
    builder.environment().remove("CINDER_HEAP");
    return start(builder, env);
  }

  private static ChatProcess start(ProcessBuilder builder, Map<String, String> env) throws IOException {
    for (String variable : List.of("DATABASE_URL", "PUBSUB", "REDIS_URL", "NODE_NAME", "CINDER_DEBUG", "LOG_LEVEL")) {
      builder.environment().remove(variable);
    }
    builder.environment().put("PORT", "0");
    builder.environment().putAll(env);
    return new ChatProcess(builder.start());
  }

  private void pump() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          output.add(line);
        }
        Matcher m = LISTENING.matcher(line);
        if (m.find()) {
          port.complete(Integer.parseInt(m.group(1)));
        }
      }
    } catch (IOException e) {
      // the process is gone
    } finally {
      port.completeExceptionally(new IllegalStateException("the chat process ended before listening:\n" + output()));
    }
  }

  private void pumpErrors() {
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        synchronized (output) {
          errors.add(line);
        }
      }
    } catch (IOException e) {
      // the process is gone
    } finally {
      errorsRead.complete(null);
    }
  }

  /** Waits for the process to end by itself and returns its exit code; its stderr is then read to the end. */
  int awaitExit(Duration timeout) throws Exception {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("the chat process still runs after " + timeout + ":\n" + output());
    }
    errorsRead.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    return process.exitValue();
  }

  /** What the process wrote to stderr so far, line by line. */
  List<String> errorLines() {
    synchronized (output) {
      return List.copyOf(errors);
    }
  }

  /**
   * A port that nothing listens on, from 20000-32767: outgoing connections take their local ports from the
   * ephemeral range above (32768 and up), so one of them cannot grab it between this probe and the bind.
   */
  static int freePortBelowTheEphemeralRange() {
    for (int attempt = 0; attempt < 50; attempt++) {
      int port = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(12_768);
      try (java.net.ServerSocket probe = new java.net.ServerSocket(port)) {
        return probe.getLocalPort();
      } catch (IOException taken) {
        // try another
      }
    }
    throw new IllegalStateException("no free port found in 20000-32767");
  }

  /** Waits until the server listens and returns its port. */
  public int awaitPort(Duration timeout) throws Exception {
    try {
      return port.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the chat process did not listen within " + timeout + ":\n" + output(), e);
    }
  }

  /** Everything the process wrote: stdout, then stderr. */
  public String output() {
    synchronized (output) {
      return String.join("\n", output) + (errors.isEmpty() ? "" : "\n" + String.join("\n", errors));
    }
  }

  /** SIGKILL: no shutdown hook runs, nothing is flushed on the way out. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /** SIGTERM: the shutdown hook closes the app; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      throw new AssertionError("the chat process did not stop on SIGTERM:\n" + output());
    }
    return process.exitValue();
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
