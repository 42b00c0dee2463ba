package dev.cinder.bench.runner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Summarizes a JFR recording with the JDK's own {@code jfr view}: hot methods (top frames) and allocations. */
final class Jfr {
  private Jfr() {}

  static void summarize(Path recording, Path out) {
    String jfr = Path.of(System.getProperty("java.home"), "bin", "jfr").toString();
    StringBuilder text = new StringBuilder();
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
