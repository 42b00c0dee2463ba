package dev.cinder.example.springchat;

import dev.cinder.example.chat.BlockStore;
import java.sql.SQLException;
import java.util.Set;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Who blocked whom on Spring's {@link JdbcClient}; Spring's {@link DataAccessException} goes back as an {@link SQLException}. */
final class JdbcBlockStore implements BlockStore {
  private final JdbcClient jdbc;

  JdbcBlockStore(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void add(String userId, String blockedId) throws SQLException {
    try {
      jdbc.sql("INSERT INTO blocks (user_id, blocked_id) VALUES (?, ?)").params(userId, blockedId).update();
    } catch (DuplicateKeyException e) {
      // blocked already, e.g. by a concurrent request: not an error
    } catch (DataAccessException e) {
      throw new SQLException("cannot store a block", e);
    }
  }

  @Override
  public Set<String> blockedBy(String userId) throws SQLException {
    try {
      return jdbc.sql("SELECT blocked_id FROM blocks WHERE user_id = ?").param(userId).query(String.class).set();
    } catch (DataAccessException e) {
      throw new SQLException("cannot read the block list", e);
    }
  }
}
