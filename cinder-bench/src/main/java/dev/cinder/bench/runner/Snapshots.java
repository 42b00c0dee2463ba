package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap snapshots for explaining memory: the server's class histogram (live objects after a full GC). */
final class Snapshots {
  private Snapshots() {}

  /** A sink that saves a class histogram as {@code <kind>-histogram-<sockets>.txt}, or null when not wanted. */
  static java.util.function.Consumer<String> classHistogram(boolean wanted, Server server, Path runDir, int sockets) {
    return wanted ? text -> save(server, runDir, sockets, text) : null;
  }

  /** Diff two saved histograms to see what one socket costs, class by class. */
  private static void save(Server server, Path runDir, int sockets, String text) {
    String name = server.spec.slug();
    try {
      Files.writeString(runDir.resolve(name + "-histogram-" + sockets + ".txt"), text);
      // Useful when the server runs with --serverFlags=-XX:NativeMemoryTracking=summary; a one-line note otherwise.
      Files.writeString(runDir.resolve(name + "-nmt-" + sockets + ".txt"), server.jcmd("VM.native_memory", "summary"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
