package dev.cinder.bench.runner;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The knobs of a whole-system run. {@code quick} fits in well under 3 minutes on this 2-core machine;
 * {@code long} climbs to the per-process open-file cap (20,000) with figures at 5k, 10k and 19k.
 * Every field can be overridden with {@code --name=value}.
 */
public record Profile(
    String name,
    List<Integer> scales,
    int generators,
    int sourcesPerGenerator,
    double connectsPerSecond,
    int burstMessages,
    double pacedSeconds,
    int sweepSteps,
    int echoSockets,
    double echoSeconds,
    int presenceJoins,
    List<ServerSpec> servers,
    boolean jfr,
    boolean classHistograms,
    List<String> serverFlags) {

  /** The label of the server built from {@code --before=REF}. */
  static final String BEFORE = "Cinder before";

  private static final List<ServerSpec> BOTH = List.of(ServerSpec.of(Server.Kind.BASELINE), ServerSpec.of(Server.Kind.CINDER));

  public static Profile named(String name, Map<String, String> overrides) {
    Profile base = switch (name) {
      case "quick" -> new Profile("quick", List.of(2_000), 1, 2, 2_000, 100, 5, 4, 100, 5, 200, BOTH, false, false, List.of());
      case "long" -> new Profile("long", List.of(5_000, 10_000, 19_000), 4, 2, 1_000, 40, 8, 6, 200, 5, 1_000, BOTH,
          false, false, List.of());
      // io_uring beside epoll: two Cinder servers, quick-sized (issue 3)
      case "transports" -> new Profile("transports", List.of(2_000), 1, 2, 2_000, 100, 5, 4, 100, 5, 0,
          List.of(ServerSpec.cinderOn("EPOLL"), ServerSpec.cinderOn("IO_URING")), false, false, List.of());
      // the starter's cost: MiniApp on a plain Endpoint beside the same app on cinder-spring-boot-starter, quick-sized;
      // --servers=spring,mini runs them in the other order (the ratio column is then plain/starter)
      case "spring" -> new Profile("spring", List.of(2_000), 1, 2, 2_000, 100, 5, 4, 100, 5, 0,
          List.of(ServerSpec.of(Server.Kind.MINI), ServerSpec.of(Server.Kind.SPRING)), false, false, List.of());
      // the scenario runners of their own (ExtraRuns): these knobs only set their scale and pace
      case "longpoll" -> new Profile("longpoll", List.of(1_000), 1, 2, 1_000, 100, 5, 4, 0, 0, 0, BOTH, false, false, List.of());
      case "cluster" -> new Profile("cluster", List.of(2_000), 1, 2, 1_000, 100, 5, 4, 0, 0, 0, BOTH, false, false, List.of());
      case "shards" -> new Profile("shards", List.of(10_000), 2, 2, 1_000, 40, 5, 4, 0, 0, 0, BOTH, false, false, List.of());
      // history and recovery (RecoveryRun): part 1's subscribers and pace; part 2 has --reconnectClients, --missed
      case "recovery" -> new Profile("recovery", List.of(2_000), 1, 2, 2_000, 100, 5, 4, 0, 0, 0, BOTH, false, false,
          List.of());
      case "presence" -> new Profile("presence", List.of(10_000), 1, 2, 1_000, 20, 0, 0, 0, 0, 10_000, BOTH, false, false,
          List.of());
      // the request path (EchoRateRun): 1,000 sockets, open-loop pings at --rates, echoSeconds each
      case "echo" -> new Profile("echo", List.of(1_000), 1, 2, 1_000, 0, 0, 0, 1_000, 10, 0, BOTH, false, false, List.of());
      // the Java client's functional check (ClientCheckRun): --clients=N, on the example
      case "client" -> new Profile("client", List.of(300), 1, 2, 0, 0, 0, 0, 0, 0, 0, List.of(ServerSpec.of(Server.Kind.CINDER)),
          false, false, List.of());
      // the soak's own knobs (minutes, clients, longPollClients, rooms…) are read by SoakRun; this sets its sources
      case "soak" -> new Profile("soak", List.of(2_000), 2, 2, 0, 0, 0, 0, 0, 0, 0, List.of(ServerSpec.of(Server.Kind.CINDER)),
          false, false, List.of());
      default -> throw new IllegalArgumentException(
          "unknown profile " + name + " (quick | long | transports | spring | longpoll | cluster | shards | presence | echo | recovery | client | soak | jmh)");
    };
    return base.with(overrides);
  }

  /**
   * With {@code --beforeClasspath} (set by {@code ./dev bench MODE --before=REF}, which builds REF), a Cinder server
   * from that build runs in the same run, right after this build's: before and after a change, side by side.
   * {@code --beforeJvmFlags=a,b} starts it with those JVM flags instead of the common ones (REF's own run flags, when
   * the change is to the flags).
   */
  private static List<ServerSpec> withBefore(List<ServerSpec> servers, String beforeClasspath, String beforeJvmFlags) {
    if (beforeClasspath == null) {
      return servers;
    }
    List<ServerSpec> all = new java.util.ArrayList<>(servers);
    ServerSpec before = ServerSpec.of(Server.Kind.CINDER).withLabel(BEFORE).withClasspath(beforeClasspath);
    all.add(beforeJvmFlags == null ? before : before.withJvmFlags(List.of(beforeJvmFlags.split(","))));
    return all;
  }

  private Profile with(Map<String, String> o) {
    return new Profile(name,
        o.containsKey("scales") ? Arrays.stream(o.get("scales").split(",")).map(Integer::valueOf).toList() : scales,
        Integer.parseInt(o.getOrDefault("generators", Integer.toString(generators))),
        Integer.parseInt(o.getOrDefault("sourcesPerGenerator", Integer.toString(sourcesPerGenerator))),
        Double.parseDouble(o.getOrDefault("connectsPerSecond", Double.toString(connectsPerSecond))),
        Integer.parseInt(o.getOrDefault("burstMessages", Integer.toString(burstMessages))),
        Double.parseDouble(o.getOrDefault("pacedSeconds", Double.toString(pacedSeconds))),
        Integer.parseInt(o.getOrDefault("sweepSteps", Integer.toString(sweepSteps))),
        Integer.parseInt(o.getOrDefault("echoSockets", Integer.toString(echoSockets))),
        Double.parseDouble(o.getOrDefault("echoSeconds", Double.toString(echoSeconds))),
        Integer.parseInt(o.getOrDefault("presenceJoins", Integer.toString(presenceJoins))),
        withBefore(o.containsKey("transports")
            ? Arrays.stream(o.get("transports").split(",")).map(ServerSpec::cinderOn).toList()
            : o.containsKey("servers")
                ? Arrays.stream(o.get("servers").split(",")).map(s -> ServerSpec.of(Server.Kind.valueOf(s.toUpperCase()))).toList()
                : servers, o.get("beforeClasspath"), o.get("beforeJvmFlags")),
        Boolean.parseBoolean(o.getOrDefault("jfr", Boolean.toString(jfr))),
        Boolean.parseBoolean(o.getOrDefault("classHistograms", Boolean.toString(classHistograms))),
        o.containsKey("serverFlags") ? List.of(o.get("serverFlags").split(",")) : serverFlags);
  }
}
