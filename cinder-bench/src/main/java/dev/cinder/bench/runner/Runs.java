package dev.cinder.bench.runner;

import java.nio.file.Path;
import java.util.Map;

/** Picks the runner of a {@code ./dev bench <command>}; each returns its Markdown table and saves it as results.md. */
public final class Runs {
  private Runs() {}

  /** A run's table, and whether its checks passed (the soak, the recovery run and the client check have checks that can fail). */
  public record Outcome(String text, boolean passed) {}

  public static Outcome run(String command, Map<String, String> options, Path baseDir) {
    Profile profile = Profile.named(command, options);
    return switch (command) {
      case "soak" -> new SoakRun(profile, baseDir, options).run();
      case "longpoll" -> new Outcome(new LongPollRun(profile, baseDir, options).run(), true);
      case "cluster" -> new Outcome(new ClusterRun(profile, baseDir, options).run(), true);
      case "shards" -> new Outcome(new ShardRun(profile, baseDir, options).run(), true);
      case "recovery" -> new RecoveryRun(profile, baseDir, options).run();
      case "echo" -> new Outcome(new EchoRateRun(profile, baseDir, options).run(), true);
      case "presence" -> new Outcome(new PresenceRun(profile, baseDir).run(), true);
      case "client" -> new ClientCheckRun(profile, baseDir, options).run();
      default -> new Outcome(new BenchRunner(profile, baseDir, Integer.parseInt(options.getOrDefault("rounds", "3"))).run(), true);
    };
  }
}
