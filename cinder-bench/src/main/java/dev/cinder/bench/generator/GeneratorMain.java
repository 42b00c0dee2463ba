package dev.cinder.bench.generator;

import dev.cinder.bench.client.EchoPaced;
import dev.cinder.bench.client.EchoRun;
import dev.cinder.bench.client.FanoutTally;
import dev.cinder.bench.client.Fleet;
import dev.cinder.bench.client.PresenceTally;
import dev.cinder.bench.client.Ramp;
import dev.cinder.bench.client.RecoveryTally;
import dev.cinder.bench.wire.Position;
import dev.cinder.bench.wire.WallClock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * A load-generator process, driven by the bench runner over stdin: one command per line, one
 * {@code RESULT {json}} line per command on stdout (logs go to stderr). {@code --transport=longpoll} makes every
 * client speak long-poll instead of WebSocket. It exits on {@code exit}, on the end of
 * stdin (the runner died) and after {@code maxMinutes} whatever happens.
 *
 * <pre>
 * connect N TOPICS PER_SECOND MAX_PENDING TIMEOUT_S [recover]
 *                                                    open N clients, each joining TOPICS (see Topics); with
 *                                                    recover, asking for positions and keeping the last one
 * drop                                               drop every socket at once (a TCP reset), keeping positions
 * rejoin HOST:PORT EVENT MESSAGES PER_SECOND MAX_PENDING TIMEOUT_S
 *                                                    reopen every dropped client to HOST:PORT, recovering from its
 *                                                    last position; wait until each has the MESSAGES broadcasts
 *                                                    EVENT sent meanwhile, report
 * fanout EVENT MESSAGES                              expect broadcasts EVENT with seq 0..MESSAGES-1
 * await PUBLISHED TIMEOUT_S                          wait until every joined socket got them, report
 * echo SOCKETS SECONDS PAYLOAD_BYTES                 closed-loop ping round trips
 * echorate SOCKETS PER_SECOND SECONDS PAYLOAD_BYTES  open-loop pings at a fixed rate (timed from when each was due)
 * presence N TOPIC PER_SECOND SETTLE_S               a join storm, counting presence frames
 * stats | close | exit
 * </pre>
 */
public final class GeneratorMain {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Fleet fleet;
  private FanoutTally tally;

  private GeneratorMain(Fleet fleet) {
    this.fleet = fleet;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = options(args);
    String[] hostPort = opts.get("server").split(":");
    InetSocketAddress server = new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1]));
    List<String> sources = Arrays.asList(opts.get("sources").split(","));
    long maxMinutes = Long.parseLong(opts.getOrDefault("maxMinutes", "30"));
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // only RESULT lines on the real stdout
    Thread watchdog = Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(Duration.ofMinutes(maxMinutes));
        System.err.println("generator: " + maxMinutes + " minutes are up, exiting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException ignored) {
        // normal exit
      }
    });
    try (Fleet fleet = new Fleet(server, sources, opts.get("secret"), opts.get("users"),
        Integer.parseInt(opts.getOrDefault("threads", "1")), "longpoll".equals(opts.get("transport")))) {
      GeneratorMain generator = new GeneratorMain(fleet);
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.isBlank() && !line.equals("exit")) {
        Map<String, Object> result;
        try {
          result = generator.run(line.trim().split("\\s+"));
        } catch (RuntimeException e) {
          e.printStackTrace();
          result = Map.of("error", String.valueOf(e));
        }
        out.println("RESULT " + JSON.writeValueAsString(result));
      }
    } finally {
      watchdog.interrupt();
    }
  }

  private Map<String, Object> run(String[] c) {
    return switch (c[0]) {
      case "connect" -> connect(Integer.parseInt(c[1]), c[2], Double.parseDouble(c[3]), Integer.parseInt(c[4]),
          Long.parseLong(c[5]), c.length > 6 && c[6].equals("recover"));
      case "drop" -> drop();
      case "rejoin" -> rejoin(c[1], c[2], Integer.parseInt(c[3]), Double.parseDouble(c[4]), Integer.parseInt(c[5]),
          Long.parseLong(c[6]));
      case "fanout" -> {
        tally = new FanoutTally(c[1], Integer.parseInt(c[2]));
        fleet.traffic(tally);
        yield Map.of("sockets", fleet.joined().size());
      }
      case "await" -> awaitFanout(Integer.parseInt(c[1]), Long.parseLong(c[2]));
      case "echo" -> echo(Integer.parseInt(c[1]), Double.parseDouble(c[2]), Integer.parseInt(c[3]));
      case "echorate" -> echoRate(Integer.parseInt(c[1]), Double.parseDouble(c[2]), Double.parseDouble(c[3]),
          Integer.parseInt(c[4]));
      case "presence" -> presence(Integer.parseInt(c[1]), c[2], Double.parseDouble(c[3]), Long.parseLong(c[4]));
      case "stats" -> stats();
      case "close" -> {
        fleet.closeAll(20);
        yield stats();
      }
      default -> throw new IllegalArgumentException("unknown command " + c[0]);
    };
  }

  private Map<String, Object> connect(int n, String topics, double perSecond, int maxPending, long timeoutSeconds,
      boolean recover) {
    fleet.takeRecoveryOutcomes();
    Map<String, Object> out = new LinkedHashMap<>(Ramp.run(fleet, n, i -> fleet.open(topics, recover), perSecond,
        maxPending, Duration.ofSeconds(timeoutSeconds)));
    out.put("recoveries", fleet.takeRecoveryOutcomes());
    return out;
  }

  /** Every socket dropped at once; {@code withPosition}: how many had a position to rejoin from. */
  private Map<String, Object> drop() {
    int dropped = fleet.dropAll(30);
    long withPosition = fleet.dropped().stream()
        .filter(d -> d.positions() != null && Arrays.stream(d.positions()).allMatch(Position::isPosition)).count();
    return Map.of("dropped", dropped, "withPosition", withPosition);
  }

  /**
   * The dropped clients come back at once to {@code hostPort} (within {@code maxPending} handshakes and joins in
   * flight), each recovering from the last position it had of its first topic; then waits until every client whose
   * join said {@code recovered} has the {@code messages} broadcasts of {@code event}, at most until the timeout.
   */
  private Map<String, Object> rejoin(String hostPort, String event, int messages, double perSecond, int maxPending,
      long timeoutSeconds) {
    String[] hp = hostPort.split(":");
    InetSocketAddress to = new InetSocketAddress(hp[0], Integer.parseInt(hp[1]));
    List<Fleet.Dropped> dropped = fleet.dropped();
    Map<Integer, Position> from = new HashMap<>();
    dropped.forEach(d -> {
      Position p = d.positions() == null ? null : Position.parse(d.positions()[0]);
      if (p != null) {
        from.put(d.index(), p);
      }
    });
    fleet.takeRecoveryOutcomes();
    long start = WallClock.micros();
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    RecoveryTally tally = new RecoveryTally(event, messages, start, from);
    fleet.traffic(tally);
    Map<String, Object> out = new LinkedHashMap<>(Ramp.run(fleet, dropped.size(), i -> fleet.reopen(dropped.get(i), to),
        perSecond, maxPending, Duration.ofSeconds(timeoutSeconds)));
    Map<String, Long> recoveries = fleet.takeRecoveryOutcomes();
    long recovered = recoveries.getOrDefault("recovered", 0L);
    while (tally.complete() < recovered && System.nanoTime() < deadline) {
      sleep(2);
    }
    out.put("recoveries", recoveries);
    out.putAll(tally.report());
    return out;
  }

  private Map<String, Object> awaitFanout(int published, long timeoutSeconds) {
    int sockets = fleet.joined().size();
    long expected = (long) published * sockets;
    long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
    while (tally.received() < expected && System.nanoTime() < deadline) {
      sleep(2);
    }
    return tally.report(published, sockets);
  }

  private Map<String, Object> echo(int sockets, double seconds, int payloadBytes) {
    var clients = fleet.joined();
    clients = clients.subList(0, Math.min(sockets, clients.size()));
    long start = System.nanoTime();
    EchoRun run = new EchoRun(payloadBytes, start + (long) (seconds * 1e9));
    fleet.traffic(run);
    run.start(clients);
    sleep((long) (seconds * 1000) + 1000); // the last pings in flight come back within the extra second
    Map<String, Object> out = run.report(seconds);
    out.put("sockets", clients.size());
    return out;
  }

  private Map<String, Object> echoRate(int sockets, double perSecond, double seconds, int payloadBytes) {
    var clients = fleet.joined();
    clients = clients.subList(0, Math.min(sockets, clients.size()));
    EchoPaced run = new EchoPaced(payloadBytes);
    fleet.traffic(run);
    run.run(clients, perSecond, seconds);
    run.awaitReplies(30);
    Map<String, Object> out = run.report();
    out.put("sockets", clients.size());
    return out;
  }

  private Map<String, Object> presence(int n, String topic, double perSecond, long settleSeconds) {
    PresenceTally presence = new PresenceTally();
    fleet.traffic(presence);
    long start = System.nanoTime();
    Map<String, Object> out = new LinkedHashMap<>(Ramp.run(fleet, n, topic, perSecond, 256,
        Duration.ofSeconds((long) (n / perSecond) + 120)));
    long deadline = System.nanoTime() + Duration.ofSeconds(settleSeconds).toNanos();
    while (presence.quietNanos() < 2_000_000_000L && System.nanoTime() < deadline) {
      sleep(20);
    }
    out.put("millisToLastFrame", (presence.lastNanos() - start) / 1_000_000);
    out.putAll(presence.report());
    // One more user joins once all is quiet: its presence_state is the server's list of the topic.
    presence.probe(fleet.nextIndex());
    if (!fleet.open(topic).awaitJoin(30)) {
      System.err.println("presence probe: no join");
    }
    long probeDeadline = System.nanoTime() + 10_000_000_000L;
    while (presence.probeListed() < 0 && System.nanoTime() < probeDeadline) {
      sleep(20);
    }
    out.put("probeListed", presence.probeListed());
    out.putAll(stats());
    return out;
  }

  private Map<String, Object> stats() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("joinedSockets", fleet.joined().size());
    out.put("heartbeatReplies", fleet.counters.heartbeatReplies.sum());
    out.put("badFrames", fleet.counters.badFrames.sum());
    out.put("badSamples", fleet.badSamples());
    out.put("unexpectedCloses", fleet.counters.unexpectedCloses.sum());
    out.put("pollsWithMessages", fleet.counters.pollsWithMessages.sum());
    out.put("polledMessages", fleet.counters.polledMessages.sum());
    out.put("emptyPolls", fleet.counters.emptyPolls.sum());
    out.put("posts", fleet.counters.posts.sum());
    return out;
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      out.put(a.substring(2, eq), a.substring(eq + 1));
    }
    return out;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
