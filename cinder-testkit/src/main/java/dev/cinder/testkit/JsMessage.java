package dev.cinder.testkit;

import java.util.Base64;
import tools.jackson.databind.JsonNode;

/**
 * A message a channel of the JS client accepted from the wire (phoenix drops those with an outdated
 * join_ref, and so does this log). Exactly one of {@code payload} and {@code binary} is non-null: binary
 * pushes and broadcasts carry bytes. A binary reply is a {@code phx_reply} whose payload is
 * {@code {"status": ..., "response": {"binaryBase64": ...}}}. {@code joinRef} and {@code ref} are as on the
 * wire, null for broadcasts.
 */
public record JsMessage(String topic, String event, JsonNode payload, byte[] binary, String joinRef, String ref) {
  public boolean isBinary() {
    return binary != null;
  }

  static JsMessage from(JsonNode e) {
    byte[] binary = e.hasNonNull("binaryBase64") ? Base64.getDecoder().decode(e.get("binaryBase64").asString()) : null;
    return new JsMessage(text(e, "topic"), text(e, "event"), binary == null ? e.path("payload") : null, binary,
        text(e, "joinRef"), text(e, "ref"));
  }

  static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }

  static byte[] decodeBinary(JsonNode node) {
    if (node == null || !node.isObject() || node.size() != 1 || !node.path("binaryBase64").isString()) {
      return null;
    }
    return Base64.getDecoder().decode(node.get("binaryBase64").stringValue());
  }

  @Override
  public String toString() {
    String body = binary != null ? "<" + binary.length + " bytes>" : String.valueOf(payload);
    return "JsMessage[" + topic + " " + event + " " + body + " joinRef=" + joinRef + " ref=" + ref + "]";
  }
}
