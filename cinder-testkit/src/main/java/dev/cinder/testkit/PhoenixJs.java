package dev.cinder.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official phoenix JS client (npm phoenix 1.8.16) running in a Node process, driven from a test:
 * {@code try (var js = PhoenixJs.start()) { var socket = js.connect("ws://127.0.0.1:4000/socket", Map.of()); ... }}.
 * One process serves many sockets. Commands and events travel as JSON lines (see js/driver.mjs); one reader
 * thread routes the events into per-socket and per-channel logs that the tests await.
 */
public final class PhoenixJs implements AutoCloseable {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(20);
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(15);
  /** Added to a command's own timeout: the driver answers a little after the client gives up. */
  static final Duration MARGIN = Duration.ofSeconds(5);

  private record LogKey(String socket, String topic) {}

  private final Process process;
  private final Writer stdin;
  private final Map<Long, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
  private final Map<LogKey, EventLog> logs = new ConcurrentHashMap<>();
  private final EventLog driverErrors = new EventLog("driver errors");
  private final StderrTail stderr = new StderrTail();
  private final AtomicLong nextId = new AtomicLong();
  private final AtomicInteger nextSocket = new AtomicInteger();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Thread shutdownHook = new Thread(this::kill, "phoenix-js-kill");
  private volatile String goneReason;
  private JsonNode versions;

  private PhoenixJs(Process process) {
    this.process = process;
    this.stdin = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), UTF_8));
  }

  /** Starts the driver found by walking up from the working directory (or {@code -Dcinder.testkit.js}). */
  public static PhoenixJs start() {
    return start(DriverLocator.find());
  }

  public static PhoenixJs start(Path driver) {
    DriverLocator.checkInstalled(driver);
    String node = DriverLocator.node();
    Process process;
    try {
      process = new ProcessBuilder(node, driver.getFileName().toString()).directory(driver.getParent().toFile()).start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot run `" + node + "`: Node.js 20+ must be on the PATH (or set -D"
          + DriverLocator.NODE_PROPERTY + "=/path/to/node)", e);
    }
    var js = new PhoenixJs(process);
    js.init();
    return js;
  }

  private void init() {
    // A JVM that dies without close() must not leave node behind (its stdin closing also ends it).
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    Thread.ofPlatform().daemon().name("phoenix-js-reader").start(this::readStdout);
    Thread.ofPlatform().daemon().name("phoenix-js-stderr").start(() -> stderr.pump(process.getErrorStream()));
    try {
      versions = call("version", args(), STARTUP_TIMEOUT);
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("the phoenix JS driver did not start: " + e.getMessage(), e);
    }
  }

  /** Connects with the given connect params and waits for the socket to open. */
  public JsSocket connect(String url, Map<String, ?> params) {
    return connect(url, JsSocketOptions.create().params(params));
  }

  /** Connects; unless {@code awaitOpen(false)}, waits for the open and fails with the socket's events if none came. */
  public JsSocket connect(String url, JsSocketOptions options) {
    String name = "s" + nextSocket.incrementAndGet();
    EventLog events = log(name, null);
    ObjectNode args = args().put("socket", name).put("url", url);
    options.writeTo(args);
    try {
      call("connect", args, options.openTimeout().plus(MARGIN));
    } catch (PhoenixJsException e) {
      throw new PhoenixJsException(e.getMessage() + "; url " + url + ", " + options + "; " + events.summary(), e);
    }
    var socket = new JsSocket(this, name, events, options.pushTimeout());
    if (options.awaitsOpen()) {
      socket.awaitOpen(Duration.ZERO); // the open that connect waited for; later awaitOpen calls see reconnects
    }
    return socket;
  }

  /** The Node and phoenix versions the driver runs, e.g. {@code {"node":"v20.20.2","phoenix":"1.8.16"}}. */
  public JsonNode versions() {
    return versions;
  }

  /** Exceptions thrown inside the driver (e.g. in client callbacks); they are also printed to stderr. */
  public List<JsonNode> driverErrors() {
    return driverErrors.history();
  }

  public void assertNoDriverErrors() {
    driverErrors.assertNone(e -> true, Duration.ZERO, "driver error");
  }

  /** The node process, e.g. to check that it is gone after {@link #close()}. */
  public ProcessHandle process() {
    return process.toHandle();
  }

  /** Ends the node process and any children, gracefully first. Safe to call twice. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (process.isAlive() && goneReason == null) {
      try {
        call("exit", args(), Duration.ofSeconds(2));
      } catch (RuntimeException e) {
        // killed below
      }
    }
    kill();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down and runs the hook itself
    }
  }

  private void kill() {
    List<ProcessHandle> children = process.descendants().toList(); // lost once the parent is gone
    try {
      stdin.close();
    } catch (IOException e) {
      // the driver is gone already
    }
    if (!awaitExit(Duration.ofSeconds(2))) {
      process.destroy();
      if (!awaitExit(Duration.ofSeconds(2))) {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(5));
      }
    }
    children.forEach(ProcessHandle::destroyForcibly);
  }

  private boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  static ObjectNode args() {
    return JSON.createObjectNode();
  }

  /** Runs one driver command and returns its result; fails with the driver's error message. */
  JsonNode call(String cmd, ObjectNode args, Duration timeout) {
    long id = nextId.incrementAndGet();
    ObjectNode line = args().put("id", id).put("cmd", cmd);
    line.setAll(args);
    var answer = new CompletableFuture<JsonNode>();
    calls.put(id, answer);
    try {
      send(line);
      JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (!reply.path("ok").asBoolean()) {
        throw new PhoenixJsException(cmd + " failed: " + reply.path("error").asString());
      }
      return reply.path("result");
    } catch (TimeoutException e) {
      throw new PhoenixJsException("no answer to " + cmd + " within " + timeout.toMillis() + " ms; " + stderr.summary());
    } catch (ExecutionException e) {
      throw new PhoenixJsException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new PhoenixJsException("interrupted while waiting for " + cmd, e);
    } finally {
      calls.remove(id);
    }
  }

  JsonNode call(String cmd, ObjectNode args) {
    return call(cmd, args, COMMAND_TIMEOUT);
  }

  private void send(JsonNode line) {
    String gone = goneReason;
    if (gone != null) {
      throw new PhoenixJsException(gone);
    }
    try {
      synchronized (stdin) {
        stdin.write(JSON.writeValueAsString(line));
        stdin.write('\n');
        stdin.flush();
      }
    } catch (IOException e) {
      throw new PhoenixJsException("cannot write to the driver: " + goneDescription(), e);
    }
  }

  /** The log of a socket's events (topic null) or of one channel topic; created on first use. */
  EventLog log(String socket, String topic) {
    return logs.computeIfAbsent(new LogKey(socket, topic), key -> {
      var log = new EventLog(topic == null ? "socket " + socket : "channel " + topic + " (socket " + socket + ")");
      String gone = goneReason;
      if (gone != null) {
        log.kill(gone);
      }
      return log;
    });
  }

  private String goneDescription() {
    if (closed.get()) {
      return "the driver was closed";
    }
    awaitExit(Duration.ofSeconds(2));
    String exit = process.isAlive() ? "closed its stdout" : "exited with code " + process.exitValue();
    return "the node driver " + exit + "; " + stderr.summary();
  }

  private void readStdout() {
    try (var reader = new BufferedReader(new InputStreamReader(process.getInputStream(), UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        dispatch(line);
      }
    } catch (IOException e) {
      // the process is gone; reported below
    } finally {
      driverGone();
    }
  }

  private void dispatch(String line) {
    JsonNode event;
    try {
      event = JSON.readTree(line);
    } catch (JacksonException e) {
      System.err.println("[phoenix-js] not a protocol line on stdout: " + line);
      return;
    }
    if (event.has("id")) {
      var answer = calls.get(event.get("id").asLong());
      if (answer != null) {
        answer.complete(event);
      }
    } else if ("driverError".equals(event.path("type").asString())) {
      System.err.println("[phoenix-js] driver error: " + event.path("message").asString());
      driverErrors.add(event);
    } else {
      log(JsMessage.text(event, "socket"), JsMessage.text(event, "topic")).add(event);
    }
  }

  private void driverGone() {
    String reason = goneDescription();
    goneReason = reason;
    calls.values().forEach(answer -> answer.completeExceptionally(new PhoenixJsException(reason)));
    logs.values().forEach(log -> log.kill(reason));
    driverErrors.kill(reason);
  }
}
