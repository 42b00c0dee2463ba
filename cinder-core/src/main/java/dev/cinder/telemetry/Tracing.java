package dev.cinder.telemetry;

import java.util.List;
import java.util.Map;

/**
 * Traces what an endpoint does: opens a {@link TraceScope} around each connect, join and {@code handleIn}, and
 * carries the trace of a broadcast to the node that delivers it. {@code dev.cinder.micrometer.CinderObservations}
 * implements it on Micrometer's Observation API; set one with {@link Telemetry#setTracing}.
 *
 * <p>With none set, Cinder does no tracing work at all. With one set, each method runs on the thread of the work
 * it traces, so it must be quick and must not throw.
 *
 * <p>Trace context travels as text fields, names in lower case (W3C's {@code traceparent} and {@code tracestate},
 * say): which fields a request carries and what they mean is the implementation's business, not Cinder's.
 */
public interface Tracing {
  /**
   * The trace context fields among a request's headers (names in lower case), to keep with the socket it opens;
   * an empty map when it carries none.
   */
  Map<String, String> requestContext(Map<String, List<String>> headers);

  /**
   * A connect on the socket mounted at {@code path} over {@code transport} ({@code "websocket"} or
   * {@code "longpoll"}), continuing the trace of its request's {@code headers} (names in lower case) if any.
   */
  TraceScope connect(String path, String transport, Map<String, List<String>> headers);

  /** A channel's {@code join} on {@code socket}, continuing the trace its connecting request carried if any. */
  TraceScope join(TracedSocket socket, String route, String topic);

  /** A channel's {@code handleIn} of a client event on {@code socket}, as {@link #join}. */
  TraceScope handleIn(TracedSocket socket, String route, String topic, String event);

  /**
   * The trace context to send along with a broadcast leaving for the other nodes, taken from the work current on
   * this thread (a {@code handleIn} that broadcasts, say); null when no traced work is current, and then the
   * broadcast carries nothing.
   */
  Map<String, String> outgoingBroadcast(String topic, String event);

  /** A broadcast from node {@code origin} that carried {@code context}, being delivered to this node's subscribers. */
  TraceScope incomingBroadcast(Map<String, String> context, String origin, String topic, String event);
}
