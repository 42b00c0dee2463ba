package dev.cinder.example.chat;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.Set;

/** Blocks in the SQL database through {@link Database}. */
final class SqlBlockStore implements BlockStore {
  private static final String UNIQUE_VIOLATION = "23505"; // the same SQLSTATE in H2 and PostgreSQL

  private final Database db;

  SqlBlockStore(Database db) {
    this.db = db;
  }

  @Override
  public void add(String userId, String blockedId) throws SQLException {
    db.run(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(Schema.INSERT_BLOCK)) {
        insert.setString(1, userId);
        insert.setString(2, blockedId);
        insert.executeUpdate();
      } catch (SQLException e) {
        if (!UNIQUE_VIOLATION.equals(e.getSQLState())) { // a concurrent block of the same user is not an error
          throw e;
        }
      }
      return null;
    });
  }

  @Override
  public Set<String> blockedBy(String userId) throws SQLException {
    return db.run(connection -> {
      Set<String> blocked = new HashSet<>();
      try (PreparedStatement select = connection.prepareStatement(Schema.BLOCKED_BY)) {
        select.setString(1, userId);
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            blocked.add(rows.getString(1));
          }
        }
      }
      return blocked;
    });
  }
}
