package dev.cinder.bench.runner;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The runner's handle on one load-generator JVM ({@code GeneratorMain}): a command out, a JSON result back. */
public final class GeneratorProcess implements AutoCloseable {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  /** Generators are small: a 1 GiB heap holds ~10,000 sockets' buffers and tallies with room to spare. */
  // The whole heap committed and touched at start: a presence storm has each generator read ~0.5 GiB of frames,
  // and with a growing heap a fifth of its CPU went to the kernel zeroing fresh pages (clear_page) mid-run.
  private static final List<String> JVM_FLAGS = List.of("-XX:+UseZGC", "-Xmx1g", "-Xms1g", "-XX:+AlwaysPreTouch");

  private final Process process;
  private final PrintWriter commands;
  private final BlockingQueue<String> results = new LinkedBlockingQueue<>();
  public final int index;

  private GeneratorProcess(int index, Process process) {
    this.index = index;
    this.process = process;
    this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    Thread.ofPlatform().daemon().name("generator-" + index + "-results").start(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.startsWith("RESULT ")) {
            results.add(line.substring(7));
          }
        }
      } catch (IOException e) {
        // the process ended; call() notices through its timeout or isAlive
      }
    });
  }

  /**
   * Starts generator {@code index}: its sockets come from source addresses 127.0.0.(2 + index·perGen) onwards,
   * {@code perGenerator} addresses each, so no two generators share a source address.
   */
  public static GeneratorProcess start(int index, Server server, int sourcesPerGenerator, int threads, Path logDir) {
    return start(index, server, sourcesPerGenerator, threads, logDir, false);
  }

  /** As above; with {@code longPoll} every client of this generator speaks long-poll instead of WebSocket. */
  public static GeneratorProcess start(int index, Server server, int sourcesPerGenerator, int threads, Path logDir,
      boolean longPoll) {
    List<String> sources = new ArrayList<>();
    for (int i = 0; i < sourcesPerGenerator; i++) {
      sources.add("127.0.0." + (2 + index * sourcesPerGenerator + i));
    }
    List<String> args = List.of("--server=127.0.0.1:" + server.port, "--sources=" + String.join(",", sources),
        "--secret=" + server.secret, "--users=g" + index + "u", "--threads=" + threads, "--maxMinutes=40",
        "--transport=" + (longPoll ? "longpoll" : "websocket"));
    Process p = Processes.java(JVM_FLAGS, "dev.cinder.bench.generator.GeneratorMain", args, Map.of(),
        logDir.resolve("generator-" + index + "-" + server.spec.slug() + ".log"), true);
    return new GeneratorProcess(index, p);
  }

  /**
   * Starts another generator program, {@code mainClass}, that speaks the same protocol (a command per stdin line, a
   * {@code RESULT {json}} line back); its log is {@code generator-<index>-<name>.log}.
   */
  public static GeneratorProcess start(int index, String mainClass, List<String> args, String name, Path logDir) {
    Process p = Processes.java(JVM_FLAGS, mainClass, args, Map.of(), logDir.resolve("generator-" + index + "-" + name + ".log"), true);
    return new GeneratorProcess(index, p);
  }

  public long pid() {
    return process.pid();
  }

  public void send(String command) {
    commands.println(command);
  }

  public JsonNode await(Duration timeout) {
    try {
      String line = results.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (line == null) {
        throw new IllegalStateException("generator " + index + " gave no result within " + timeout
            + (process.isAlive() ? "" : " (it exited)"));
      }
      JsonNode result = JSON.readTree(line);
      if (result.has("error")) {
        throw new IllegalStateException("generator " + index + ": " + result.get("error").asString());
      }
      return result;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public JsonNode call(String command, Duration timeout) {
    send(command);
    return await(timeout);
  }

  /** Sends each generator its command at once, then collects every result: the generators work in parallel. */
  public static List<JsonNode> callAll(List<GeneratorProcess> generators, IntFunction<String> command, Duration timeout) {
    for (GeneratorProcess g : generators) {
      g.send(command.apply(g.index));
    }
    List<JsonNode> out = new ArrayList<>();
    for (GeneratorProcess g : generators) {
      out.add(g.await(timeout));
    }
    return out;
  }

  @Override
  public void close() {
    commands.println("exit");
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        Processes.stop(process);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Processes.stop(process);
    }
  }
}
