package dev.cinder.micrometer;

import dev.cinder.telemetry.TracedSocket;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;

/**
 * A channel's {@code join} or {@code handleIn}. Its carrier is the trace context the socket's connecting request
 * carried (the WebSocket upgrade, or the long-poll request that opened the session), so a tracing bridge continues
 * that trace; empty when there was none.
 */
public final class ChannelObservationContext extends ReceiverContext<Map<String, String>> {
  /** Which channel callback is observed. */
  public enum Callback {
    JOIN,
    HANDLE_IN
  }

  private final Callback callback;
  private final TracedSocket socket;
  private final String route;
  private final String topic;
  private final String event;
  private final String eventTag;
  private String outcome = "crash";

  ChannelObservationContext(Callback callback, TracedSocket socket, String route, String topic, String event,
      String eventTag) {
    super(Map::get, Kind.SERVER);
    this.callback = callback;
    this.socket = socket;
    this.route = route;
    this.topic = topic;
    this.event = event;
    this.eventTag = eventTag;
    setCarrier(socket.context());
    if (callback == Callback.JOIN) {
      setName(CinderObservations.JOIN);
      setContextualName("join " + route);
    } else {
      setName(CinderObservations.HANDLE_IN);
      setContextualName("handle_in " + route + " " + eventTag);
    }
  }

  public Callback callback() {
    return callback;
  }

  /** The channel route pattern that matched, e.g. {@code room:*}: a bounded set. */
  public String route() {
    return route;
  }

  /** The topic, e.g. {@code room:42}: unbounded. */
  public String topic() {
    return topic;
  }

  /** The client's event name of a {@code handleIn}, as sent; null for a join. */
  public String event() {
    return event;
  }

  /**
   * The event name as a tag value: the first {@link CinderMetrics#MAX_EVENT_NAMES} distinct names per route, then
   * {@code "other"} (clients choose event names); null for a join.
   */
  public String eventTag() {
    return eventTag;
  }

  /** {@code "websocket"} or {@code "longpoll"}. */
  public String transport() {
    return socket.transport();
  }

  /** The socket's id, or null when its handler gives none. */
  public String socketId() {
    return socket.socketId();
  }

  /**
   * A join's {@code "ok"}, {@code "error"} or {@code "crash"}; a {@code handleIn}'s reply status, {@code "noreply"}
   * or {@code "crash"}.
   */
  public String outcome() {
    return outcome;
  }

  void outcome(String outcome) {
    this.outcome = outcome;
  }
}
