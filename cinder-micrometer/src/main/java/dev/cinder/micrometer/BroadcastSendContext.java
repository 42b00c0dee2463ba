package dev.cinder.micrometer;

import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.SenderContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A broadcast leaving this node for the others, sent from traced work (a {@code handleIn} that broadcasts, say). A
 * tracing bridge writes the trace context into its carrier, which the broadcast carries across the cluster.
 */
public final class BroadcastSendContext extends SenderContext<Map<String, String>> {
  private final String topic;
  private final String event;

  BroadcastSendContext(String topic, String event) {
    super(Map::put, Kind.PRODUCER);
    this.topic = topic;
    this.event = event;
    setCarrier(new LinkedHashMap<>());
    setName(CinderObservations.BROADCAST_SEND);
    setContextualName("broadcast send");
  }

  public String topic() {
    return topic;
  }

  public String event() {
    return event;
  }
}
