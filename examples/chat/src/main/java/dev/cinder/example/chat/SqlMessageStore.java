package dev.cinder.example.chat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Chat messages per room, in the SQL database through {@link Database}. */
final class SqlMessageStore implements MessageStore {
  private final Database db;

  SqlMessageStore(Database db) {
    this.db = db;
  }

  @Override
  public Message insert(String room, String userId, String body) throws SQLException {
    // Milliseconds: what every database keeps and what JavaScript's Date shows.
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    long id = db.run(connection -> {
      String sql = "INSERT INTO messages (room, user_id, body, inserted_at) VALUES (?, ?, ?, ?)";
      try (PreparedStatement insert = connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
        insert.setString(1, room);
        insert.setString(2, userId);
        insert.setString(3, body);
        insert.setObject(4, OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        insert.executeUpdate();
        try (ResultSet keys = insert.getGeneratedKeys()) {
          if (!keys.next()) {
            throw new SQLException("the database returned no id for the new message");
          }
          return keys.getLong("id");
        }
      }
    });
    return new Message(id, body, userId, now);
  }

  @Override
  public List<Message> recent(String room) throws SQLException {
    return db.run(connection -> {
      String sql = "SELECT id, user_id, body, inserted_at FROM messages WHERE room = ? "
          + "ORDER BY id DESC FETCH FIRST " + HISTORY_SIZE + " ROWS ONLY";
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        select.setString(1, room);
        List<Message> newestFirst = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            newestFirst.add(new Message(rows.getLong("id"), rows.getString("body"), rows.getString("user_id"),
                rows.getObject("inserted_at", OffsetDateTime.class).toInstant()));
          }
        }
        return newestFirst.reversed();
      }
    });
  }
}
