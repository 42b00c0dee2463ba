package dev.cinder.spring;

import dev.cinder.endpoint.Endpoint;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link Endpoint} with the application context and drains it when the context closes.
 *
 * <p>The phase is above the web server's graceful shutdown ({@code DEFAULT_PHASE - 1024}), so Cinder stops first:
 * while its sockets drain, the application's HTTP endpoints (the health check that now says OUT_OF_SERVICE
 * included) still answer, and whatever the channels use when they end ({@code terminate}, presence untracks) is
 * still running. It also starts after the web server, once the rest of the application is up.
 */
public final class CinderEndpointLifecycle implements SmartLifecycle {
  /** Stops before the web server, starts after it. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 512;

  private final Endpoint endpoint;
  private volatile boolean running;

  /** Manages {@code endpoint}, which must not be started yet. */
  public CinderEndpointLifecycle(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public void start() {
    endpoint.start();
    running = true;
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
