package dev.cinder.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.util.ArrayDeque;
import java.util.Deque;

/** Copies the driver's stderr to ours, keeping the last lines for failure messages. */
final class StderrTail {
  private static final int LINES_KEPT = 40;

  private final Deque<String> lines = new ArrayDeque<>();

  void pump(InputStream stderr) {
    try (var reader = new BufferedReader(new InputStreamReader(stderr, UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        System.err.println("[phoenix-js] " + line);
        synchronized (lines) {
          lines.addLast(line);
          if (lines.size() > LINES_KEPT) {
            lines.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  String summary() {
    synchronized (lines) {
      return lines.isEmpty() ? "driver stderr is empty" : "driver stderr (last lines):\n  " + String.join("\n  ", lines);
    }
  }
}
