package dev.cinder.bench.runner;

import java.nio.file.Path;
import java.util.Map;

/** Picks the runner of a {@code ./dev bench <command>}; each returns its Markdown table and saves it as results.md. */
public final class Runs {
  private Runs() {}

  public static String run(String command, Map<String, String> options, Path baseDir) {
    Profile profile = Profile.named(command, options);
    return switch (command) {
      case "longpoll" -> new LongPollRun(profile, baseDir, options).run();
      case "cluster" -> new ClusterRun(profile, baseDir, options).run();
      case "shards" -> new ShardRun(profile, baseDir, options).run();
      case "presence" -> new PresenceRun(profile, baseDir).run();
      default -> new BenchRunner(profile, baseDir, Integer.parseInt(options.getOrDefault("rounds", "3"))).run();
    };
  }
}
