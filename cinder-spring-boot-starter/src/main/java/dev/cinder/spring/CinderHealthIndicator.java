package dev.cinder.spring;

import dev.cinder.endpoint.DrainStatus;
import dev.cinder.endpoint.Endpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * UP while the endpoint serves; OUT_OF_SERVICE from the moment its drain begins (so a readiness check sends no new
 * clients here); DOWN before it starts and once it has stopped. Details: the port, the node, the open sockets.
 */
public final class CinderHealthIndicator implements HealthIndicator {
  private final Endpoint endpoint;

  /** The health of {@code endpoint}. */
  public CinderHealthIndicator(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  @Override
  public Health health() {
    DrainStatus status = endpoint.drainStatus();
    Health.Builder health = switch (status.phase()) {
      case SERVING -> Health.up().withDetail("port", endpoint.port());
      case DRAINING -> Health.outOfService().withDetail("port", endpoint.port());
      case STOPPED -> Health.down();
    };
    return health.withDetail("node", endpoint.pubSub().nodeName())
        .withDetail("phase", status.phase().name())
        .withDetail("sockets", status.socketsLeft())
        .build();
  }
}
