package dev.cinder.bench.runner;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Heap snapshots for explaining memory: the server's class histogram (live objects after a full GC). */
final class Snapshots {
  private Snapshots() {}

  /** Saves {@code GC.class_histogram} as {@code <kind>-histogram-<sockets>.txt}; diff two to see what a socket costs. */
  static void classHistogram(Server server, Path runDir, int sockets) {
    String text = server.jcmd("GC.class_histogram");
    try {
      Files.writeString(runDir.resolve(server.kind.name().toLowerCase() + "-histogram-" + sockets + ".txt"), text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
