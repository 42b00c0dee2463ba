package dev.cinder.bench.runner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One reading of the example's {@code GET /metrics} (Prometheus text, meters of cinder-micrometer's
 * {@code CinderMetrics}): each series {@code name{labels}} with its value. The gauges that must come back to
 * their idle value after a soak are {@link #GAUGES}; long-poll sessions have no gauge of their own, they count in
 * {@code cinder_sockets} (one socket session each) until the server ends them.
 */
record ServerMetrics(Map<String, Double> series) {
  static final List<String> GAUGES = List.of("cinder_sockets", "cinder_channels", "cinder_presences", "cinder_topics");
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static ServerMetrics scrape(int port) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
          .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException("GET /metrics answered " + r.statusCode());
      }
      return parse(r.body());
    } catch (IOException e) {
      throw new IllegalStateException("GET /metrics: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** {@code name{labels} value} lines; comments and blank lines skipped. */
  static ServerMetrics parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      int space = line.lastIndexOf(' ');
      out.put(line.substring(0, space).trim(), Double.parseDouble(line.substring(space + 1).trim()));
    }
    return new ServerMetrics(out);
  }

  /** The value of one series, or NaN when the server does not expose it. */
  double get(String name) {
    return series.getOrDefault(name, Double.NaN);
  }

  long gauge(String name) {
    return Math.round(get(name));
  }

  /** Every series of a metric, by its labels (e.g. {@code cinder_transport_errors_total}). */
  Map<String, Double> all(String metric) {
    Map<String, Double> out = new TreeMap<>();
    series.forEach((k, v) -> {
      if (k.equals(metric) || k.startsWith(metric + "{")) {
        out.put(k.substring(metric.length()), v);
      }
    });
    return out;
  }

  /** Whether every gauge of {@link #GAUGES} reads what {@code idle} read. */
  boolean gaugesEqual(ServerMetrics idle) {
    return GAUGES.stream().allMatch(g -> get(g) == idle.get(g));
  }

  String gauges() {
    StringBuilder b = new StringBuilder();
    for (String g : GAUGES) {
      b.append(b.isEmpty() ? "" : ", ").append(g.substring("cinder_".length())).append(' ').append(gauge(g));
    }
    return b.toString();
  }
}
