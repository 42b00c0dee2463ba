package dev.cinder.example.chat;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stored chat message. */
public record Message(long id, String body, String userId, Instant insertedAt) {
  /** The wire form: {@code {"id","body","user_id","inserted_at"}}, the time in ISO-8601 UTC. */
  public Map<String, Object> toPayload() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("id", id);
    payload.put("body", body);
    payload.put("user_id", userId);
    payload.put("inserted_at", insertedAt.toString());
    return payload;
  }
}
