package dev.cinder.client.internal;

import tools.jackson.databind.JsonNode;

/**
 * One message as it travels, before it becomes a public {@code Message}: exactly one of {@code json} and
 * {@code binary} is set. {@code status} is set only on a binary reply (kind 1), whose payload is the response.
 */
public record Frame(String joinRef, String ref, String topic, String event, JsonNode json, byte[] binary,
                    String status) {

  /** A frame with a JSON payload. */
  public static Frame json(String joinRef, String ref, String topic, String event, JsonNode payload) {
    return new Frame(joinRef, ref, topic, event, payload, null, null);
  }

  /** A frame with a binary payload. */
  public static Frame binary(String joinRef, String ref, String topic, String event, byte[] payload) {
    return new Frame(joinRef, ref, topic, event, null, payload, null);
  }

  /** Whether the payload is bytes. */
  public boolean isBinary() {
    return binary != null;
  }
}
