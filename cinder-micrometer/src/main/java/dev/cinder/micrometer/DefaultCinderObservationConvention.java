package dev.cinder.micrometer;

import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;

/**
 * Cinder's default key values. Low cardinality ones (tags of the timers, and of the spans) are bounded: the mount
 * path, the transport, the channel route pattern, the event name (at most {@link CinderMetrics#MAX_EVENT_NAMES} per
 * route, the rest {@code "other"}) and the outcome. High cardinality ones (on spans only) name one socket or topic.
 *
 * <table>
 *   <caption>Key values by observation</caption>
 *   <tr><th>observation</th><th>low cardinality</th><th>high cardinality</th></tr>
 *   <tr><td>{@code cinder.connect}</td><td>{@code path}, {@code transport}, {@code result}</td><td></td></tr>
 *   <tr><td>{@code cinder.join}</td><td>{@code route}, {@code transport}, {@code outcome}</td>
 *       <td>{@code topic}, {@code socket.id}</td></tr>
 *   <tr><td>{@code cinder.handle_in}</td><td>{@code route}, {@code event}, {@code transport}, {@code status}</td>
 *       <td>{@code topic}, {@code socket.id}</td></tr>
 *   <tr><td>{@code cinder.broadcast.send}</td><td></td><td>{@code topic}, {@code event}</td></tr>
 *   <tr><td>{@code cinder.broadcast.receive}</td><td></td><td>{@code topic}, {@code event}, {@code origin}</td></tr>
 * </table>
 *
 * {@code socket.id} is left out when the socket has no id. A broadcast's event is high cardinality: broadcasts
 * carry no route to bound it by.
 */
public class DefaultCinderObservationConvention implements CinderObservationConvention {
  /** The one instance; the class is open for extension only. */
  public static final DefaultCinderObservationConvention INSTANCE = new DefaultCinderObservationConvention();

  protected DefaultCinderObservationConvention() {}

  @Override
  public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
    return switch (context) {
      case ConnectObservationContext c ->
          KeyValues.of("path", c.path(), "transport", c.transport(), "result", c.result());
      case ChannelObservationContext c -> c.callback() == ChannelObservationContext.Callback.JOIN
          ? KeyValues.of("route", c.route(), "transport", c.transport(), "outcome", c.outcome())
          : KeyValues.of("route", c.route(), "event", c.eventTag(), "transport", c.transport(), "status", c.outcome());
      default -> KeyValues.empty();
    };
  }

  @Override
  public KeyValues getHighCardinalityKeyValues(Observation.Context context) {
    return switch (context) {
      case ChannelObservationContext c -> c.socketId() == null ? KeyValues.of("topic", c.topic())
          : KeyValues.of("topic", c.topic(), "socket.id", c.socketId());
      case BroadcastSendContext c -> KeyValues.of("topic", c.topic(), "event", c.event());
      case BroadcastReceiveContext c -> KeyValues.of("topic", c.topic(), "event", c.event(), "origin", c.origin());
      default -> KeyValues.empty();
    };
  }
}
