package dev.cinder.endpoint;

/**
 * Where an endpoint is in its shutdown, for a health or readiness check ({@link Endpoint#drainStatus()}).
 *
 * @param phase serving, draining (close() has begun: report "not ready" so the load balancer sends no one here),
 *     or stopped
 * @param socketsLeft while serving, the open sockets (WebSocket and long-poll); while draining, the sockets whose
 *     channels have not all ended yet, closed or still waiting for their batch; once stopped, those the drain
 *     gave up on at its deadline (0 after a complete drain)
 * @param batchesSent how many batches of sockets the drain has closed so far
 */
public record DrainStatus(Phase phase, int socketsLeft, int batchesSent) {
  public enum Phase { SERVING, DRAINING, STOPPED }

  /** Whether the endpoint no longer serves new sockets: draining or stopped. */
  public boolean draining() {
    return phase != Phase.SERVING;
  }
}
