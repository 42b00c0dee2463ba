package dev.cinder.bench.runner;

import dev.cinder.bench.client.Histo;
import dev.cinder.client.Channel;
import dev.cinder.client.Presence;
import dev.cinder.client.Protocol;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Transports;
import dev.cinder.token.PhoenixToken;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * {@code ./dev bench client}: a functional check of the Java client ({@code cinder-client}) against the example, with
 * figures. {@code --clients=N} clients (default 300), a third each on WebSocket with protocol V2, WebSocket with V1
 * JSON, and long-poll, all in this JVM, after an unreported warm-up round of 60 on topics of their own:
 * <ol>
 *   <li>each connects with its own token and joins {@code bench_presence:client-check} (presence) and
 *       {@code bench:client-check} (broadcasts);
 *   <li>every client's {@link Presence} list reaches N users;
 *   <li>every client pings with a JSON payload, and the V2 WebSocket clients with a binary one too: each reply must
 *       equal what was sent;
 *   <li>ten clients send a {@code new_msg}; once every client has the ten, each sends a fence message, and must
 *       have got each of the ten exactly once before its own fence ({@code bench:*} broadcasts reach the sender too).
 * </ol>
 * The bench's own load generator keeps its lean client; this run is about the library users get.
 */
final class ClientCheckRun {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int SENDERS = 10;
  /** Client i uses the transport and protocol {@code KINDS[i % 3]}. */
  private static final String[] KINDS = {"WebSocket, V2", "WebSocket, V1 JSON", "long-poll, V2"};

  private final Profile profile;
  private final Path runDir;
  private final int clients;
  private final List<String> failures = new ArrayList<>();

  ClientCheckRun(Profile profile, Path baseDir, Map<String, String> options) {
    this.profile = profile;
    this.runDir = BenchRunner.runDir(baseDir, profile.name());
    this.clients = Integer.parseInt(options.getOrDefault("clients", "300"));
  }

  /** One client: its socket, its two channels, its presence view and what it received on the broadcast topic. */
  private record Client(int index, Socket socket, Channel presence, Channel room, Presence view,
                        List<String> bodies) {}

  Runs.Outcome run() {
    long start = System.nanoTime();
    Server server = Server.start(ServerSpec.of(Server.Kind.CINDER), BenchRunner.freePort(), runDir, profile.serverFlags());
    HttpClient http = HttpClient.newHttpClient();
    List<Client> all = new ArrayList<>();
    StringBuilder table = new StringBuilder("| step | result | figures |\n|---|---|---|\n");
    try {
      PhoenixToken tokens = PhoenixToken.forSecret(server.secret);
      String endpoint = "ws://127.0.0.1:" + server.port + "/socket";
      // Both JVMs start cold: a first, smaller round of the same steps is not reported.
      List<Client> warmUp = new ArrayList<>();
      connectAll(warmUp, Math.min(60, clients), "warm-up", endpoint, tokens, http, new Histo[] {new Histo(), new Histo(), new Histo()},
          new Histo[] {new Histo(), new Histo(), new Histo()});
      warmUp.forEach(c -> c.socket.close());
      Histo[] connects = {new Histo(), new Histo(), new Histo()};
      Histo[] joins = {new Histo(), new Histo(), new Histo()};
      connectAll(all, clients, "client-check", endpoint, tokens, http, connects, joins);
      for (int kind = 0; kind < 3; kind++) {
        table.append(row("connect; then join two topics: " + KINDS[kind], "all " + (clients + 2 - kind) / 3 + " joined",
            percentiles(connects[kind]) + "; " + percentiles(joins[kind])));
      }

      long t1 = System.nanoTime();
      boolean lists = waitUntil(() -> all.stream().allMatch(c -> c.view.list().size() == clients));
      long incomplete = all.stream().filter(c -> c.view.list().size() != clients).count();
      check(lists, incomplete + " presence lists short of " + clients + " users");
      table.append(row("presence lists", (clients - incomplete) + " / " + clients + " complete",
          String.format("%,.0f ms after the last join", (System.nanoTime() - t1) / 1e6)));

      Histo pings = new Histo();
      AtomicInteger wrong = new AtomicInteger();
      List<CompletableFuture<?>> replies = new ArrayList<>();
      for (Client c : all) {
        replies.add(timed(c.room.push("ping", Map.of("i", c.index)), pings)
            .thenAccept(r -> {
              if (!r.isOk() || r.response().json().path("i").asInt(-1) != c.index) {
                wrong.incrementAndGet();
              }
            }));
        if (c.index % 3 == 0) { // the V2 WebSocket clients: binary in, binary out
          byte[] bytes = {(byte) c.index, 0, (byte) 0xff, 42};
          replies.add(timed(c.room.push("ping", bytes), pings).thenAccept(r -> {
            if (!r.isOk() || !r.response().isBinary() || !Arrays.equals(r.response().bytes(), bytes)) {
              wrong.incrementAndGet();
            }
          }));
        }
      }
      await(replies, "pings");
      check(wrong.get() == 0, wrong.get() + " ping replies differed from what was sent");
      table.append(row("ping → reply (JSON; binary on V2)", replies.size() - wrong.get() + " / " + replies.size()
          + " equal", percentiles(pings)));

      long t2 = System.nanoTime();
      for (int s = 0; s < SENDERS; s++) {
        all.get(s * clients / SENDERS).room.push("new_msg", Map.of("body", "m" + s));
      }
      boolean delivered = waitUntil(() -> all.stream().allMatch(c -> distinctMessages(c) == SENDERS));
      check(delivered, "not every client got the " + SENDERS + " messages");
      for (Client c : all) { // sent once this client has all: anything else for it would come before its fence
        c.room.push("new_msg", Map.of("body", "fence-" + c.index));
      }
      boolean fenced = waitUntil(() -> all.stream().allMatch(c -> c.bodies.contains("fence-" + c.index)));
      long exact = all.stream().filter(this::receivedExactly).count();
      check(fenced && exact == clients, (clients - exact) + " clients did not get exactly the " + SENDERS
          + " messages, once each, before their fence");
      table.append(row("broadcasts", exact + " / " + clients + " got exactly " + SENDERS + " + fences",
          String.format("%,.0f ms for %,d deliveries", (System.nanoTime() - t2) / 1e6, (long) clients * (SENDERS + clients))));
    } catch (RuntimeException e) {
      failures.add(e.toString());
    } finally {
      all.forEach(c -> c.socket.close());
      server.close();
    }
    String text = "## The Java client against the example\n\n" + table + "\n"
        + (failures.isEmpty() ? "Every check passed.\n" : "FAILED:\n- " + String.join("\n- ", failures) + "\n")
        + Report.fmt("Run took %.0f s; logs in %s%n", (System.nanoTime() - start) / 1e9, runDir);
    BenchRunner.write(runDir.resolve("results.md"), text);
    return new Runs.Outcome(text, failures.isEmpty());
  }

  /**
   * Connects {@code n} clients as users {@code <round>-<i>}, each joining the two topics of that round (a long-poll
   * client that closes stays present until its session expires); the times by kind of client.
   */
  private void connectAll(List<Client> into, int n, String round, String endpoint, PhoenixToken tokens, HttpClient http,
      Histo[] connects, Histo[] joins) {
    List<CompletableFuture<?>> joined = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Client c = client(i, round, endpoint, tokens.sign("user auth", round + "-" + i), http);
      into.add(c);
      long t0 = System.nanoTime();
      long[] opened = new long[1];
      joined.add(c.socket.connect()
          .thenRun(() -> connects[c.index % 3].recordMicros((opened[0] = System.nanoTime()) - t0))
          .thenCompose(x -> c.presence.join()).thenAccept(r -> expectOk(r, c.presence.topic()))
          .thenCompose(x -> c.room.join()).thenAccept(r -> expectOk(r, c.room.topic()))
          .thenRun(() -> joins[c.index % 3].recordMicros(System.nanoTime() - opened[0])));
    }
    await(joined, "connect and join");
  }

  private Client client(int i, String round, String endpoint, String token, HttpClient http) {
    Socket.Builder b = Socket.builder(endpoint).params(Map.of("token", token)).httpClient(http);
    switch (i % 3) {
      case 1 -> b.protocol(Protocol.V1_JSON);
      case 2 -> b.transport(Transports.longPoll(http));
      default -> b.transport(Transports.webSocket(http));
    }
    Socket socket = b.build();
    Channel presence = socket.channel("bench_presence:" + round);
    Channel room = socket.channel("bench:" + round);
    List<String> bodies = java.util.Collections.synchronizedList(new ArrayList<>());
    room.on("new_msg", m -> bodies.add(m.payload().json().path("body").asString()));
    return new Client(i, socket, presence, room, new Presence(presence), bodies);
  }

  private static long distinctMessages(Client c) {
    synchronized (c.bodies) {
      return c.bodies.stream().filter(b -> b.matches("m\\d+")).distinct().count();
    }
  }

  /** Before its own fence: the senders' messages, each once (other clients' fences may come in between). */
  private boolean receivedExactly(Client c) {
    List<String> got;
    synchronized (c.bodies) {
      got = new ArrayList<>(c.bodies);
    }
    int fence = got.indexOf("fence-" + c.index);
    if (fence < 0) {
      return false;
    }
    List<String> messages = got.subList(0, fence).stream().filter(b -> b.matches("m\\d+")).toList();
    return messages.size() == SENDERS && messages.stream().distinct().count() == SENDERS;
  }

  private static Reply expectOk(Reply reply, String topic) {
    if (!reply.isOk()) {
      throw new IllegalStateException("the join of " + topic + " was refused: " + reply);
    }
    return reply;
  }

  private static CompletableFuture<Reply> timed(CompletableFuture<Reply> reply, Histo histo) {
    long t0 = System.nanoTime();
    return reply.whenComplete((r, e) -> histo.recordMicros(System.nanoTime() - t0));
  }

  private static String percentiles(Histo histo) {
    Histogram h = Histo.decode(histo.encode());
    return String.format("p50 %.1f ms, p99 %.1f ms, max %.1f ms", h.getValueAtPercentile(50) / 1e3,
        h.getValueAtPercentile(99) / 1e3, h.getMaxValue() / 1e3);
  }

  private static String row(String step, String result, String figures) {
    return "| " + step + " | " + result + " | " + figures + " |\n";
  }

  private void check(boolean ok, String failure) {
    if (!ok) {
      failures.add(failure);
    }
  }

  private static void await(List<CompletableFuture<?>> futures, String what) {
    try {
      CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(what + " did not all complete within " + WAIT + ": " + e, e);
    }
  }

  private static boolean waitUntil(BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
