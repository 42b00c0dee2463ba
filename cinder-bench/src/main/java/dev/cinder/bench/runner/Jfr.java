package dev.cinder.bench.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Records a phase of a server with JFR and summarizes it with the JDK's own {@code jfr view} and {@code jfr summary}. */
final class Jfr {
  private Jfr() {}

  /**
   * Runs {@code phase}; when {@code server} is not null, under a JFR recording saved as {@code cinder-<name>.jfr}
   * and summarized in {@code cinder-<name>-hot-methods.txt}. JDK 25's CPU-time sampler (JEP 509) also charges
   * time spent in system calls to the Java frame above them; virtual-thread starts are counted too.
   */
  static void record(Server server, Path runDir, String name, Runnable phase) {
    if (server == null) {
      phase.run();
      return;
    }
    server.jcmd("JFR.start", "name=" + name, "settings=profile", "jdk.CPUTimeSample#enabled=true",
        "jdk.CPUTimeSample#throttle=1ms", "jdk.VirtualThreadStart#enabled=true");
    try {
      phase.run();
    } finally {
      Path file = runDir.resolve(server.spec.slug() + "-" + name + ".jfr").toAbsolutePath();
      server.jcmd("JFR.stop", "name=" + name, "filename=" + file);
      summarize(file, runDir.resolve(server.spec.slug() + "-" + name + "-hot-methods.txt"));
      BenchRunner.log("JFR recording of %s: %s, summary beside it", name, file);
    }
  }

  static void summarize(Path recording, Path out) {
    String jfr = Path.of(System.getProperty("java.home"), "bin", "jfr").toString();
    StringBuilder text = new StringBuilder(run(List.of(jfr, "summary", recording.toString()))).append('\n');
    for (String view : List.of("cpu-time-hot-methods", "hot-methods", "native-methods",
        "allocation-by-class")) {
      text.append(run(List.of(jfr, "view", "--width", "160", view, recording.toString()))).append('\n');
    }
    try {
      java.nio.file.Files.writeString(out, text);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      p.waitFor();
      return out;
    } catch (IOException | InterruptedException e) {
      return "(" + String.join(" ", command) + " failed: " + e + ")";
    }
  }
}
