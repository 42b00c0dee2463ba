package dev.cinder.example.chat;

import java.sql.SQLException;
import java.util.List;

/** Chat messages per room: the history the rooms push on join and the store {@code new_msg} writes to. */
public interface MessageStore {
  /** How many messages a join's {@code message_history} carries. */
  int HISTORY_SIZE = 50;

  /** Stores a message now and returns it with its id and time (milliseconds, what every database keeps). */
  Message insert(String room, String userId, String body) throws SQLException;

  /** The room's {@value #HISTORY_SIZE} most recent messages, oldest first. */
  List<Message> recent(String room) throws SQLException;
}
