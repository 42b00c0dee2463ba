package dev.cinder.example.chat;

import dev.cinder.Payload;
import dev.cinder.PubSub;
import java.sql.SQLException;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who blocked whom: per user, across every room, kept in a {@link BlockStore} (so blocks survive restarts) and cached
 * in memory, since every delivered message asks. A user's set is loaded once, when first needed. A new block is
 * also broadcast on {@link #TOPIC}, so every node of a cluster updates its cache at once (the store, shared
 * by the nodes, stays the source of truth). The cache is bounded: past {@link #MAX_CACHED_USERS} it starts over.
 */
public final class BlockList {
  /** A user may block this many others; more is refused. */
  static final int MAX_BLOCKS_PER_USER = 1000;
  static final int MAX_CACHED_USERS = 100_000;
  static final String TOPIC = "chat:blocks";

  private final BlockStore store;
  private final PubSub pubSub;
  private final ConcurrentHashMap<String, Set<String>> cache = new ConcurrentHashMap<>();

  public BlockList(BlockStore store, PubSub pubSub) {
    this.store = store;
    this.pubSub = pubSub;
    pubSub.subscribe(TOPIC, broadcast -> {
      Payload block = broadcast.payload();
      Set<String> cached = cache.get(block.string("user_id"));
      if (cached != null && block.string("blocked_id") != null) {
        cached.add(block.string("blocked_id"));
      }
    });
  }

  /** Whether {@code userId} blocked {@code authorId}. */
  boolean hasBlocked(String userId, String authorId) throws SQLException {
    return blockedBy(userId).contains(authorId);
  }

  /** Records the block; false when the user is at {@link #MAX_BLOCKS_PER_USER}. Blocking twice is fine. */
  boolean block(String userId, String blockedId) throws SQLException {
    Set<String> blocked = blockedBy(userId);
    if (blocked.contains(blockedId)) {
      return true;
    }
    if (blocked.size() >= MAX_BLOCKS_PER_USER) {
      return false;
    }
    store.add(userId, blockedId);
    blocked.add(blockedId);
    pubSub.broadcast(TOPIC, "blocked", Map.of("user_id", userId, "blocked_id", blockedId));
    return true;
  }

  /** The user's blocked set, loaded from the database the first time. */
  Set<String> blockedBy(String userId) throws SQLException {
    Set<String> blocked = cache.get(userId);
    if (blocked != null) {
      return blocked;
    }
    Set<String> loaded = ConcurrentHashMap.newKeySet();
    loaded.addAll(store.blockedBy(userId));
    if (cache.size() >= MAX_CACHED_USERS) {
      cache.clear(); // crude but bounded: the store has every block, sets reload as users come back
    }
    Set<String> raced = cache.putIfAbsent(userId, loaded);
    return raced != null ? raced : loaded;
  }
}
