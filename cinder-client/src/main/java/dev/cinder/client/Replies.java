package dev.cinder.client;

import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.MalformedFrameException;
import tools.jackson.databind.JsonNode;

/** Reading a {@code phx_reply} frame into a {@link Reply}, and the recovery block of a join reply. */
final class Replies {
  private Replies() {}

  static Reply of(Connection connection, Frame frame) throws MalformedFrameException {
    if (frame.isBinary()) {
      return new Reply(frame.status(), connection.payload(null, frame.binary()));
    }
    JsonNode payload = frame.json();
    JsonNode status = payload.get("status");
    if (!payload.isObject() || status == null || !status.isString()) {
      throw new MalformedFrameException("a phx_reply payload must be an object with a string status, got "
          + abbreviate(payload.toString()));
    }
    JsonNode response = payload.get("response");
    if (response == null) {
      response = connection.mapper.createObjectNode();
    }
    return new Reply(status.stringValue(), connection.payload(response, null));
  }

  /** The {@code recovery} block of a join response, or null when there is none (a topic without history). */
  static Recovery recovery(Reply reply) {
    if (reply.response().isBinary()) {
      return null;
    }
    JsonNode recovery = reply.response().json().get("recovery");
    if (recovery == null || !recovery.isObject()) {
      return null;
    }
    JsonNode position = recovery.get("position");
    JsonNode reason = recovery.get("reason");
    return new Recovery(recovery.path("recovered").asBoolean(false),
        position != null && position.isString() ? position.stringValue() : null,
        reason != null && reason.isString() ? reason.stringValue() : null);
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
