package dev.cinder.bench;

import dev.cinder.bench.runner.Runs;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code ./dev bench quick | long | soak | … [--name=value …]}: the whole-system benchmarks (servers and generators in
 * their own JVMs), and {@code ./dev bench jmh [JMH options]}: the micro-benchmarks. Exits 1 when a check failed.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    String command = args.length == 0 ? "quick" : args[0];
    if (command.equals("jmh")) {
      // Short defaults for a shared 2-core machine; any JMH option given replaces them all.
      String[] jmh = args.length > 1 ? Arrays.copyOfRange(args, 1, args.length)
          : new String[] {"-f", "1", "-wi", "3", "-w", "1s", "-i", "5", "-r", "1s", "-jvmArgs", "-XX:+UseZGC -Xmx1g",
              "dev.cinder.bench.micro"};
      org.openjdk.jmh.Main.main(jmh);
      return;
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    for (String a : Arrays.copyOfRange(args, 1, args.length)) {
      if (!a.startsWith("--") || !a.contains("=")) {
        throw new IllegalArgumentException("options look like --name=value, got " + a);
      }
      overrides.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
    }
    if (overrides.containsKey("jvmFlags")) { // replaces the flags of the README's run command (see Server.jvmFlags)
      System.setProperty("cinder.serverJvmFlags", overrides.remove("jvmFlags").replace(',', ' '));
    }
    Runs.Outcome outcome = Runs.run(command, overrides, Path.of(overrides.getOrDefault("out", "cinder-bench/target/bench-runs")));
    System.out.println(outcome.text());
    // HttpClient and JMH leave non-daemon threads; every child is already stopped. A failed check (the soak) exits 1.
    System.exit(outcome.passed() ? 0 : 1);
  }
}
