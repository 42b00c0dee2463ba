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
      try (PreparedStatement insert = connection.prepareStatement(Schema.INSERT_MESSAGE, Statement.RETURN_GENERATED_KEYS)) {
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
      try (PreparedStatement select = connection.prepareStatement(Schema.RECENT_MESSAGES)) {
        select.setString(1, room);
        List<Message> newestFirst = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            newestFirst.add(Message.fromRow(rows));
          }
        }
        return newestFirst.reversed();
      }
    });
  }
}
