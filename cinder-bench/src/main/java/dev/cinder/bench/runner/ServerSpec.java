package dev.cinder.bench.runner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One server process of a run: which program, the label of its column in the report, and its own JVM flags and
 * environment on top of the common ones (e.g. {@code -Dcinder.ioTransport=IO_URING}, or {@code PUBSUB=redis}).
 * {@code classpath} is null for the runner's own build, or another build's (e.g. main before a change, so that
 * before and after are measured in one run). {@code jvmFlags} is null for the common JVM flags
 * ({@link Server#jvmFlags}), or flags that replace them for this server only (main's flags before a change of them).
 */
public record ServerSpec(Server.Kind kind, String label, List<String> flags, Map<String, String> env, String classpath,
    List<String> jvmFlags) {
  public ServerSpec {
    flags = List.copyOf(flags);
    env = Map.copyOf(env);
    jvmFlags = jvmFlags == null ? null : List.copyOf(jvmFlags);
  }

  public ServerSpec(Server.Kind kind, String label, List<String> flags, Map<String, String> env) {
    this(kind, label, flags, env, null, null);
  }

  public static ServerSpec of(Server.Kind kind) {
    String label = switch (kind) {
      case BASELINE -> "baseline";
      case CINDER -> "Cinder";
      case MINI -> "plain Endpoint";
      case SPRING -> "Spring starter";
    };
    return new ServerSpec(kind, label, List.of(), Map.of());
  }

  /** The Cinder example on one I/O transport (IoTransport: EPOLL, IO_URING, NIO). */
  public static ServerSpec cinderOn(String transport) {
    String t = transport.toUpperCase(Locale.ROOT);
    return new ServerSpec(Server.Kind.CINDER, "Cinder " + t.toLowerCase(Locale.ROOT), List.of("-Dcinder.ioTransport=" + t),
        Map.of());
  }

  public ServerSpec withLabel(String value) {
    return new ServerSpec(kind, value, flags, env, classpath, jvmFlags);
  }

  /** The same server run from another build's classpath. */
  public ServerSpec withClasspath(String value) {
    return new ServerSpec(kind, label, flags, env, value, jvmFlags);
  }

  /** The same server started with {@code value} instead of the common JVM flags. */
  public ServerSpec withJvmFlags(List<String> value) {
    return new ServerSpec(kind, label, flags, env, classpath, value);
  }

  public ServerSpec withEnv(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(env);
    all.putAll(more);
    return new ServerSpec(kind, label, flags, all, classpath, jvmFlags);
  }

  public ServerSpec withFlags(List<String> more) {
    List<String> all = new ArrayList<>(flags);
    all.addAll(more);
    return new ServerSpec(kind, label, all, env, classpath, jvmFlags);
  }

  /** The label as a file-name part: {@code Cinder io_uring} → {@code cinder-io_uring}. */
  public String slug() {
    return label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]+", "-");
  }
}
