package dev.cinder.example.chat;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** A stored chat message. */
public record Message(long id, String body, String userId, Instant insertedAt) {
  /** The message in the current row of {@link Schema#RECENT_MESSAGES}. */
  public static Message fromRow(ResultSet row) throws SQLException {
    return new Message(row.getLong("id"), row.getString("body"), row.getString("user_id"),
        row.getObject("inserted_at", OffsetDateTime.class).toInstant());
  }

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
