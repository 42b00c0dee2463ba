package dev.cinder.bench.wire;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a join reply says about recovery, from its response's {@code "recovery"} object:
 * {@code {"recovered":true,"position":"k3x9q2mv:45"}}, or {@code recovered: false} with a {@code reason}. Read once per
 * join, so a JSON tree is cheap enough.
 */
public record RecoveryReply(boolean recovered, String position, String reason) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The recovery of a {@code phx_reply} payload, or null when it has none (a topic without a history). */
  public static RecoveryReply parse(String replyPayload) {
    JsonNode recovery = JSON.readTree(replyPayload).path("response").path("recovery");
    if (!recovery.isObject() || !recovery.path("recovered").isBoolean()) {
      return null;
    }
    return new RecoveryReply(recovery.get("recovered").booleanValue(), text(recovery.get("position")),
        text(recovery.get("reason")));
  }

  /** How the report counts this outcome: {@code recovered}, or the reason it was not. */
  public String outcome() {
    return recovered ? "recovered" : "not recovered: " + reason;
  }

  private static String text(JsonNode node) {
    return node == null || !node.isString() ? null : node.stringValue();
  }
}
