package dev.cinder.spring;

import dev.cinder.endpoint.Endpoint;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Starts the {@link Endpoint} with the application context and drains it when the context closes.
 *
 * <p>The phase is above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), so Cinder stops first:
 * while its sockets drain, the application's HTTP endpoints (the health check that now says OUT_OF_SERVICE
 * included) still answer, and whatever the channels use when they end ({@code terminate}, presence untracks) is
 * still running. It also starts after the web server, once the rest of the application is up.
 *
 * <p>Once started, the environment's {@value #PORT_PROPERTY} holds the port the endpoint bound, as
 * {@code local.server.port} holds the web server's: with {@code cinder.port=0}, that is how a test (or anything
 * else) learns which port was picked, e.g. {@code @Value("${local.cinder.port}")} in a bean created later, or
 * {@code environment.getProperty("local.cinder.port")}.
 */
public final class CinderEndpointLifecycle implements SmartLifecycle {
  /** Stops before the web server, starts after it. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  /** The property that holds the bound port once the endpoint has started. */
  public static final String PORT_PROPERTY = "local.cinder.port";

  private final Endpoint endpoint;
  private final ConfigurableEnvironment environment;
  private volatile boolean running;

  /** Manages {@code endpoint}, which must not be started yet, and publishes its port in {@code environment}. */
  public CinderEndpointLifecycle(Endpoint endpoint, ConfigurableEnvironment environment) {
    this.endpoint = endpoint;
    this.environment = environment;
  }

  @Override
  public void start() {
    endpoint.start();
    publishPort(endpoint.port());
    running = true;
  }

  /** In a property source of its own, first, as Spring Boot does for {@code local.server.port}. */
  @SuppressWarnings("unchecked")
  private void publishPort(int port) {
    PropertySource<?> existing = environment.getPropertySources().get("cinder.ports");
    if (existing == null) {
      existing = new MapPropertySource("cinder.ports", new HashMap<>());
      environment.getPropertySources().addFirst(existing);
    }
    ((Map<String, Object>) existing.getSource()).put(PORT_PROPERTY, port);
  }

  /** Drains: blocks until every socket's channels have ended, or the drain's deadline (30 s by default). */
  @Override
  public void stop() {
    running = false;
    endpoint.close();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }
}
