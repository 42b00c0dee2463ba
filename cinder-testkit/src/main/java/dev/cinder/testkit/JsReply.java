package dev.cinder.testkit;

import tools.jackson.databind.JsonNode;

/**
 * What the JS client got for a join, push or leave: the reply {@code status} ("ok", "error", any status atom
 * the server used, or the client's own "timeout") and its {@code response}. A binary response arrives as
 * {@code {"binaryBase64": "..."}}; {@link #binary()} decodes it.
 */
public record JsReply(String status, JsonNode response) {
  public boolean isOk() {
    return "ok".equals(status);
  }

  /** The bytes of a binary response, or null when the response is JSON. */
  public byte[] binary() {
    return JsMessage.decodeBinary(response);
  }

  static JsReply from(JsonNode result) {
    return new JsReply(result.path("status").asString(), result.path("response"));
  }
}
