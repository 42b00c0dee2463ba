package dev.cinder.bench.soak;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A soak load-generator process, driven by the runner over stdin like {@code GeneratorMain}: one command per line,
 * one {@code RESULT {json}} line back (logs go to stderr). Its clients all speak one transport
 * ({@code --transport=websocket|longpoll}). It exits on {@code exit}, at the end of stdin, and after
 * {@code maxMinutes} whatever happens.
 *
 * <pre>
 * run CLIENTS SECONDS RAMP_SECONDS   the clients live for SECONDS, then quiesce; answers who is in which room
 * verify {"room:x": ["user", …], …}  every client's rebuilt presence lists against those members
 * finish                            everyone leaves and disconnects; answers every count and problem
 * exit
 * </pre>
 */
public final class SoakGeneratorMain {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private SoakGeneratorMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> o = new LinkedHashMap<>();
    for (String a : args) {
      o.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    String[] hostPort = o.get("server").split(":");
    long maxMinutes = Long.parseLong(o.getOrDefault("maxMinutes", "60"));
    PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
    System.setOut(System.err); // only RESULT lines on the real stdout
    Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(Duration.ofMinutes(maxMinutes));
        System.err.println("soak generator: " + maxMinutes + " minutes are up, exiting");
        Runtime.getRuntime().halt(3);
      } catch (InterruptedException ignored) {
        // never interrupted
      }
    });
    try (SoakFleet fleet = new SoakFleet(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])),
        Arrays.asList(o.get("sources").split(",")), "longpoll".equals(o.get("transport")), Integer.parseInt(o.get("generator")),
        Integer.parseInt(o.getOrDefault("rooms", "100")), Double.parseDouble(o.getOrDefault("actionSeconds", "20")),
        Long.parseLong(o.getOrDefault("seed", "1")), Integer.parseInt(o.getOrDefault("threads", "1")))) {
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line;
      while ((line = in.readLine()) != null && !line.isBlank() && !line.equals("exit")) {
        Map<String, Object> result;
        try {
          result = run(fleet, line.trim());
        } catch (RuntimeException e) {
          e.printStackTrace();
          result = Map.of("error", String.valueOf(e));
        }
        out.println("RESULT " + JSON.writeValueAsString(result));
      }
    }
  }

  private static Map<String, Object> run(SoakFleet fleet, String line) {
    String[] c = line.split("\\s+", 2);
    return switch (c[0]) {
      case "run" -> {
        String[] a = c[1].split("\\s+");
        yield fleet.run(Integer.parseInt(a[0]), Double.parseDouble(a[1]), Double.parseDouble(a[2]));
      }
      case "verify" -> {
        Map<String, Set<String>> members = new TreeMap<>();
        JsonNode tree = JSON.readTree(c[1]);
        tree.properties().forEach(e -> {
          Set<String> users = new TreeSet<>();
          e.getValue().forEach(u -> users.add(u.asString()));
          members.put(e.getKey(), users);
        });
        yield fleet.verify(members);
      }
      case "finish" -> fleet.finish();
      default -> throw new IllegalArgumentException("unknown command " + c[0]);
    };
  }
}
