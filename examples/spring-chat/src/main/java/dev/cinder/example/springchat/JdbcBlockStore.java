package dev.cinder.example.springchat;

import dev.cinder.example.chat.BlockStore;
import dev.cinder.example.chat.Schema;
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
      jdbc.sql(Schema.INSERT_BLOCK).params(userId, blockedId).update();
    } catch (DuplicateKeyException e) {
      // blocked already, e.g. by a concurrent request: not an error
    } catch (DataAccessException e) {
      throw new SQLException("cannot store a block", e);
    }
  }

  @Override
  public Set<String> blockedBy(String userId) throws SQLException {
    try {
      return jdbc.sql(Schema.BLOCKED_BY).param(userId).query(String.class).set();
    } catch (DataAccessException e) {
      throw new SQLException("cannot read the block list", e);
    }
  }
}
