package dev.cinder.telemetry;

/**
 * One traced piece of work (a connect, a join, a {@code handleIn}, a broadcast arriving from another node), opened
 * by {@link Tracing} and current on the calling thread until {@link #close()}. Cinder calls {@link #outcome} and
 * {@link #error} at most once each, then {@code close()} exactly once, on the thread that opened it.
 */
public interface TraceScope extends AutoCloseable {
  /**
   * How the work ended, one of a small fixed set: a connect's "accepted" or "refused", a join's "ok", "error" or
   * "crash", a {@code handleIn}'s reply status, "noreply" or "crash".
   */
  default void outcome(String outcome) {}

  /** The work threw: a crashed join or {@code handleIn}, a connect whose handler threw. */
  default void error(Throwable error) {}

  /** Ends the work and leaves the scope. */
  @Override
  void close();
}
