package dev.cinder.example.springchat;

import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Locale;
import java.util.Map;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code GET /health} and {@code GET /metrics} on Cinder's port, answered by Spring Boot's Actuator: the health of
 * every indicator (Cinder's endpoint, the database...) and the Prometheus registry that Cinder's meters are bound to.
 */
final class ActuatorRoutes {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  // Looked up per request: the health depends on the endpoint (Cinder's indicator), which serves these routes.
  private final ObjectProvider<HealthEndpoint> health;
  private final PrometheusMeterRegistry prometheus;

  ActuatorRoutes(ObjectProvider<HealthEndpoint> health, PrometheusMeterRegistry prometheus) {
    this.health = health;
    this.prometheus = prometheus;
  }

  /** {@code 200 {"status":"ok"}} while every indicator is UP; otherwise 503 with the aggregate status, e.g. {@code down}. */
  HttpResponse health(HttpRequest request) {
    Status status = health.getObject().health().getStatus();
    return Status.UP.equals(status)
        ? HttpResponse.json(200, Map.of("status", "ok"))
        : HttpResponse.json(503, Map.of("status", status.getCode().toLowerCase(Locale.ROOT)));
  }

  /** Prometheus text format. */
  HttpResponse metrics(HttpRequest request) {
    return HttpResponse.text(200, PROMETHEUS_TEXT, prometheus.scrape());
  }
}
