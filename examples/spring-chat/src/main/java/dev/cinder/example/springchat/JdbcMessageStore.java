package dev.cinder.example.springchat;

import dev.cinder.example.chat.Message;
import dev.cinder.example.chat.MessageStore;
import dev.cinder.example.chat.Schema;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;

/**
 * The rooms' messages on Spring's {@link JdbcClient}. Spring's {@link DataAccessException} goes back to the
 * channels as the {@link SQLException} they handle (a failed {@code new_msg} gets the {@code storage_failed} push).
 */
final class JdbcMessageStore implements MessageStore {
  private final JdbcClient jdbc;

  JdbcMessageStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Message insert(String room, String userId, String body) throws SQLException {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    KeyHolder keys = new GeneratedKeyHolder();
    try {
      jdbc.sql(Schema.INSERT_MESSAGE)
          .params(room, userId, body, OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
          .update(keys, "id");
    } catch (DataAccessException e) {
      throw new SQLException("cannot store a message in " + room, e);
    }
    Number id = keys.getKey();
    if (id == null) {
      throw new SQLException("the database returned no id for the new message");
    }
    return new Message(id.longValue(), body, userId, now);
  }

  @Override
  public List<Message> recent(String room) throws SQLException {
    try {
      return jdbc.sql(Schema.RECENT_MESSAGES).param(room).query((row, n) -> Message.fromRow(row)).list().reversed();
    } catch (DataAccessException e) {
      throw new SQLException("cannot read the history of " + room, e);
    }
  }
}
