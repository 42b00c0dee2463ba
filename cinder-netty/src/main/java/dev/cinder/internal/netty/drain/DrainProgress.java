package dev.cinder.internal.netty.drain;

/** Where a server is in its drain; the endpoint reports it as its {@code DrainStatus}. */
public record DrainProgress(Phase phase, int socketsLeft, int batchesSent) {
  /** Serving, draining (the drain has begun), or stopped. */
  public enum Phase { SERVING, DRAINING, STOPPED }
}
