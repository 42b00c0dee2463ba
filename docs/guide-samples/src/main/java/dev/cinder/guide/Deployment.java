package dev.cinder.guide;

import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.DrainOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.endpoint.HttpOptions;
import dev.cinder.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/** Settings a production node usually changes, a readiness check, and a shutdown that drains. */
public final class Deployment {
  private Deployment() {}

  // region: deploy-endpoint
  public static Endpoint start(String secretKeyBase, SocketHandler socket) {
    AtomicReference<Endpoint> self = new AtomicReference<>();
    Endpoint endpoint = Endpoint.builder()
        .port(4000)
        .secretKeyBase(secretKeyBase)
        .http(HttpOptions.defaults().headerTimeout(Duration.ofSeconds(5)))
        .drain(DrainOptions.defaults().batchSize(2_000).batchInterval(Duration.ofSeconds(1)).shutdown(Duration.ofSeconds(25)))
        .socket("/socket", socket, SocketOptions.defaults()
            .maxChannels(20)                // a page joins a handful of topics
            .maxQueuedBytes(1 << 20)        // 1 MiB for a client that stopped reading, then close
            .idleTimeout(Duration.ofSeconds(60)))
        .get("/ready", request -> readiness(self.get()))
        .build();
    self.set(endpoint);
    endpoint.start();
    Runtime.getRuntime().addShutdownHook(new Thread(endpoint::close, "drain")); // SIGTERM drains
    return endpoint;
  }

  /** 503 as soon as the drain begins, so that the load balancer sends no new client here. */
  static HttpResponse readiness(Endpoint endpoint) {
    return endpoint.drainStatus().draining()
        ? HttpResponse.error(503, "draining")
        : HttpResponse.json(200, Map.of("status", "ready"));
  }
  // endregion
}
