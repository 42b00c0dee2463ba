package dev.cinder.micrometer;

import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TraceScope;
import dev.cinder.telemetry.TracedSocket;
import dev.cinder.telemetry.Tracing;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cinder's {@link Tracing} on Micrometer's Observation API: each connect, join and {@code handleIn} is an
 * {@link Observation}, and so a timer and a span, whatever handlers the application registered on its
 * {@link ObservationRegistry} (a {@code DefaultMeterObservationHandler}, a tracing bridge for OpenTelemetry or Brave).
 *
 * <p>Trace context comes in through Observation's propagation contexts, read by the tracing bridge itself: a connect
 * continues the trace of its request's headers, and the socket keeps those headers (among
 * {@link #PROPAGATION_FIELDS}) so that its joins and {@code handleIn}s continue it too. A broadcast sent from traced
 * work to the other nodes of a cluster carries the trace context, and the node that delivers it continues the trace.
 *
 * <table>
 *   <caption>Observations</caption>
 *   <tr><th>name</th><th>span name</th><th>around</th></tr>
 *   <tr><td>{@value #CONNECT}</td><td>{@code connect <path>}</td><td>the connect checks and the handler's
 *       {@code connect}</td></tr>
 *   <tr><td>{@value #JOIN}</td><td>{@code join <route>}</td><td>a channel's {@code join}</td></tr>
 *   <tr><td>{@value #HANDLE_IN}</td><td>{@code handle_in <route> <event>}</td><td>a channel's {@code handleIn}
 *       (with its reply)</td></tr>
 *   <tr><td>{@value #BROADCAST_SEND}</td><td>{@code broadcast send}</td><td>a broadcast leaving for the other nodes
 *       from traced work (no duration: it marks the hand-off)</td></tr>
 *   <tr><td>{@value #BROADCAST_RECEIVE}</td><td>{@code broadcast receive}</td><td>delivering to this node's
 *       subscribers a broadcast that arrived with a trace</td></tr>
 * </table>
 *
 * Their key values are {@link DefaultCinderObservationConvention}'s unless another convention is given. A crashed
 * join or {@code handleIn}, and a connect whose handler threw, end with the exception as the observation's error.
 */
public final class CinderObservations implements Tracing {
  public static final String CONNECT = "cinder.connect";
  public static final String JOIN = "cinder.join";
  public static final String HANDLE_IN = "cinder.handle_in";
  public static final String BROADCAST_SEND = "cinder.broadcast.send";
  public static final String BROADCAST_RECEIVE = "cinder.broadcast.receive";

  /**
   * The request headers a socket keeps for its channels' observations: W3C Trace Context and Baggage, and B3 (single
   * and multiple headers), which cover the OpenTelemetry and Brave bridges' propagation formats.
   */
  public static final Set<String> PROPAGATION_FIELDS = Set.of("traceparent", "tracestate", "baggage", "b3",
      "x-b3-traceid", "x-b3-spanid", "x-b3-parentspanid", "x-b3-sampled", "x-b3-flags");

  private final ObservationRegistry registry;
  private final CinderObservationConvention convention; // the application's, or null
  private final EventNames eventNames = new EventNames(CinderMetrics.MAX_EVENT_NAMES);

  private CinderObservations(ObservationRegistry registry, CinderObservationConvention convention) {
    this.registry = registry;
    this.convention = convention;
  }

  /** {@link #bind(ObservationRegistry, Telemetry, CinderObservationConvention)} with the default convention. */
  public static CinderObservations bind(ObservationRegistry registry, Telemetry telemetry) {
    return bind(registry, telemetry, null);
  }

  /**
   * Observes the endpoint of {@code telemetry} in {@code registry}, with {@code convention}'s key values (null: the
   * default ones). Bind before the endpoint starts: sockets connected earlier stay unobserved. With
   * {@link ObservationRegistry#NOOP} nothing is bound, and Cinder does no tracing work at all.
   */
  public static CinderObservations bind(ObservationRegistry registry, Telemetry telemetry,
      CinderObservationConvention convention) {
    CinderObservations observations = new CinderObservations(registry, convention);
    if (registry != ObservationRegistry.NOOP) {
      telemetry.setTracing(observations);
    }
    return observations;
  }

  @Override
  public Map<String, String> requestContext(Map<String, List<String>> headers) {
    Map<String, String> context = null;
    for (String field : PROPAGATION_FIELDS) {
      List<String> values = headers.get(field);
      if (values != null && !values.isEmpty()) {
        if (context == null) {
          context = new LinkedHashMap<>();
        }
        context.put(field, values.getFirst());
      }
    }
    return context == null ? Map.of() : context;
  }

  @Override
  public TraceScope connect(String path, String transport, Map<String, List<String>> headers) {
    return observe(new ConnectObservationContext(path, transport, headers));
  }

  @Override
  public TraceScope join(TracedSocket socket, String route, String topic) {
    return observe(new ChannelObservationContext(ChannelObservationContext.Callback.JOIN, socket, route, topic, null,
        null));
  }

  @Override
  public TraceScope handleIn(TracedSocket socket, String route, String topic, String event) {
    return observe(new ChannelObservationContext(ChannelObservationContext.Callback.HANDLE_IN, socket, route, topic,
        event, eventNames.bounded(route, event)));
  }

  /**
   * A {@value #BROADCAST_SEND} observation, child of the current one, started and stopped at once: the tracing bridge
   * writes its trace context into the carrier sent along. Nothing when no observation is current.
   */
  @Override
  public Map<String, String> outgoingBroadcast(String topic, String event) {
    if (registry.getCurrentObservation() == null) {
      return null;
    }
    BroadcastSendContext context = new BroadcastSendContext(topic, event);
    Observation.createNotStarted(convention, DefaultCinderObservationConvention.INSTANCE, () -> context, registry)
        .start()
        .stop();
    return context.getCarrier().isEmpty() ? null : Map.copyOf(context.getCarrier());
  }

  @Override
  public TraceScope incomingBroadcast(Map<String, String> context, String origin, String topic, String event) {
    return observe(new BroadcastReceiveContext(context, origin, topic, event));
  }

  private TraceScope observe(Observation.Context context) {
    return new ObservationTraceScope(Observation.createNotStarted(convention,
        DefaultCinderObservationConvention.INSTANCE, () -> context, registry));
  }
}
