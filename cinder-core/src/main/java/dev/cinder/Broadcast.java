package dev.cinder;

import java.util.Objects;

/** A message published to every subscriber of a topic. It carries no refs: it belongs to no join. */
public record Broadcast(String topic, String event, Payload payload) {
  public Broadcast {
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(payload, "payload");
  }
}
