package dev.cinder.bench.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server process of a run: which program, the label of its column in the report, and its own JVM flags and
 * environment on top of the common ones (e.g. {@code -Dcinder.ioTransport=IO_URING}, or {@code PUBSUB=redis}).
 */
public record ServerSpec(Server.Kind kind, String label, List<String> flags, Map<String, String> env) {
  public ServerSpec {
    flags = List.copyOf(flags);
    env = Map.copyOf(env);
  }

  public static ServerSpec of(Server.Kind kind) {
    return new ServerSpec(kind, kind == Server.Kind.BASELINE ? "baseline" : "Cinder", List.of(), Map.of());
  }

  /** The Cinder example on one I/O transport (IoTransport: EPOLL, IO_URING, NIO). */
  public static ServerSpec cinderOn(String transport) {
    String t = transport.toUpperCase(Locale.ROOT);
    return new ServerSpec(Server.Kind.CINDER, "Cinder " + t.toLowerCase(Locale.ROOT), List.of("-Dcinder.ioTransport=" + t),
        Map.of());
  }

  public ServerSpec withLabel(String value) {
    return new ServerSpec(kind, value, flags, env);
  }

  public ServerSpec withEnv(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(more);
    return new ServerSpec(kind, label, flags, all);
  }

  public ServerSpec withFlags(List<String> more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(more);
    return new ServerSpec(kind, label, all, env);
  }

  /** The label as a file-name part: {@code Cinder io_uring} → {@code cinder-io_uring}. */
  public String slug() {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "-");
  }
}
