package dev.cinder.spring;

import dev.cinder.endpoint.Endpoint;

/**
 * Changes the starter's {@link Endpoint.Builder} before the endpoint is built, after the {@code cinder.*}
 * properties were applied: to serve HTTP routes on Cinder's port ({@code builder.post("/api/broadcast", ...)}), or
 * to set what no property says. Define it as a bean; several run in their {@code @Order}.
 */
@FunctionalInterface
public interface CinderEndpointCustomizer {
  /** Changes {@code builder}; replacing its HTTP or drain options replaces what the properties set. */
  void customize(Endpoint.Builder builder);
}
