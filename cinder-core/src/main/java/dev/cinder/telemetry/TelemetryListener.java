package dev.cinder.telemetry;

/**
 * Receives framework events, in the spirit of Elixir's {@code :telemetry}. Every method has a no-op default;
 * implement the ones you need. Called synchronously on the thread where the event happened, so return fast.
 * Durations are in nanoseconds. {@code route} is the channel route pattern that matched (e.g.
 * {@code "room:*"}), a bounded set unlike topics; {@code topic} is given too for logging.
 */
public interface TelemetryListener {
  /** A connection attempt finished: accepted or refused, after {@code nanos} of checks and {@code connect}. */
  default void socketConnected(String path, String transport, boolean accepted, long nanos) {}

  /** A connection closed. */
  default void socketClosed(String path, String transport) {}

  /** A join finished with {@code outcome} "ok", "error" or "crash". */
  default void channelJoined(String route, String topic, String outcome, long nanos) {}

  /** A channel ended, with the {@link dev.cinder.StopReason} name. */
  default void channelEnded(String route, String topic, String reason) {}

  /** {@code handleIn} ran for a client event; {@code status} is the reply status, "noreply" or "crash". */
  default void eventHandled(String route, String topic, String event, String status, long nanos) {}

  /** {@code handleOut} ran for an intercepted broadcast. */
  default void outHandled(String route, String topic, String event, long nanos) {}

  /** A broadcast was dispatched on this node to {@code subscribers} local subscribers. */
  default void broadcast(String topic, String event, int subscribers) {}

  /** Presence changed on a topic: this many joins and leaves went out in one diff. */
  default void presenceChanged(String topic, int joins, int leaves) {}

  /** A client event was refused by a rate limiter, or answered "overloaded" (its channel had too many waiting). */
  default void rateLimited(String topic, String event) {}

  /** A connection exceeded its outbound queue limit; {@code action} is "close" or "drop". */
  default void slowConsumer(String transport, String action, long queuedBytes) {}

  /**
   * A transport-level error: "malformed_frame", "frame_too_large", "idle_timeout", "io", "inbound_rate" (a
   * client over its inbound rate, closed with 1008).
   */
  default void transportError(String transport, String kind) {}

  /**
   * A shutdown's drain closed a batch of {@code count} sockets: batch {@code batch} of {@code batches}, out of
   * the {@code total} sockets open when the drain began (as Phoenix's {@code [:phoenix, :socket_drain]} event).
   * Called just before the batch's sockets are told to close.
   */
  default void socketDrain(int batch, int batches, int count, int total) {}
}
