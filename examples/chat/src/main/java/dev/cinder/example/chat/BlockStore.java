package dev.cinder.example.chat;

import java.sql.SQLException;
import java.util.Set;

/** Where {@link BlockList} keeps who blocked whom, so that blocks survive restarts and are shared by the nodes. */
public interface BlockStore {
  /** Records that {@code userId} blocked {@code blockedId}; recording it again is not an error. */
  void add(String userId, String blockedId) throws SQLException;

  /** Everyone {@code userId} blocked. */
  Set<String> blockedBy(String userId) throws SQLException;
}
