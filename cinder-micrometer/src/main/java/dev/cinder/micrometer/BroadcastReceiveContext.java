package dev.cinder.micrometer;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import java.util.Map;

/**
 * A broadcast from another node being delivered to this node's subscribers. Its carrier is the trace context the
 * sending node wrote, so a tracing bridge continues the sender's trace.
 */
public final class BroadcastReceiveContext extends ReceiverContext<Map<String, String>> {
  private final String origin;
  private final String topic;
  private final String event;

  BroadcastReceiveContext(Map<String, String> context, String origin, String topic, String event) {
    super(Map::get, Kind.CONSUMER);
    this.origin = origin;
    this.topic = topic;
    this.event = event;
    setCarrier(context);
    setRemoteServiceName(origin);
    setName(CinderObservations.BROADCAST_RECEIVE);
    setContextualName("broadcast receive");
  }

  /** The name of the node that sent the broadcast. */
  public String origin() {
    return origin;
  }

  public String topic() {
    return topic;
  }

  public String event() {
    return event;
  }
}
