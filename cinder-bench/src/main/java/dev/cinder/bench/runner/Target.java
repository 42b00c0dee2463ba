package dev.cinder.bench.runner;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One server under test with its own generator processes, its scenarios and the figures of each scale. */
final class Target implements AutoCloseable {
  final Server server;
  final List<GeneratorProcess> generators = new ArrayList<>();
  final Scenarios scenarios;
  final List<Figures> figures = new ArrayList<>();
  long idleRssKiB;
  long idleLiveHeapBytes;

  /** Starts the server, then its generators; generator indexes (hence source addresses) start at {@code firstIndex}. */
  Target(ServerSpec spec, Profile profile, int port, int firstIndex, Path runDir) {
    server = Server.start(spec, port, runDir, profile.serverFlags());
    try {
      for (int i = 0; i < profile.generators(); i++) {
        generators.add(GeneratorProcess.start(firstIndex + i, server, profile.sourcesPerGenerator(), 1, runDir));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    scenarios = new Scenarios(server, generators, profile.classHistograms(), runDir);
  }

  Server.Kind kind() {
    return server.kind;
  }

  String label() {
    return server.label;
  }

  Figures current() {
    return figures.getLast();
  }

  int joined() {
    return figures.isEmpty() ? 0 : current().joined;
  }

  @Override
  public void close() {
    try {
      generators.forEach(GeneratorProcess::close);
    } finally {
      server.close();
    }
  }
}
