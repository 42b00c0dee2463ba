package dev.cinder.client;

import dev.cinder.client.internal.Listeners;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.concurrent.locks.ReentrantLock;
import tools.jackson.databind.JsonNode;

/**
 * The presence list of a channel, kept from its {@code presence_state} and {@code presence_diff} messages with
 * the same semantics as phoenix.js's {@code Presence}: diffs that arrive before the first state of a join (or
 * rejoin) wait and are applied right after it. Callbacks run on the socket's callback executor; {@link #list()}
 * may be called from any thread.
 */
public final class Presence {
  private final Channel channel;
  private final ReentrantLock lock = new ReentrantLock();
  private final Listeners<JoinCallback> joinCallbacks = new Listeners<>();
  private final Listeners<LeaveCallback> leaveCallbacks = new Listeners<>();
  private final Listeners<Runnable> syncCallbacks = new Listeners<>();
  private final List<PresenceDiff> pendingDiffs = new ArrayList<>(); // guarded by lock
  private volatile Map<String, PresenceEntry> state = Map.of();
  private String stateJoinRef; // guarded by lock: the join whose state is applied
  private Throwable callbackError; // guarded by lock: the first a callback threw while a message was applied

  /** Called for each key that joined (or got new metas). */
  @FunctionalInterface
  public interface JoinCallback {
    /**
     * A key joined.
     *
     * @param key the key
     * @param current the entry before the join, null for a new key
     * @param joined the metas that joined
     */
    void onJoin(String key, PresenceEntry current, PresenceEntry joined);
  }

  /** Called for each key that lost metas. */
  @FunctionalInterface
  public interface LeaveCallback {
    /**
     * A key left.
     *
     * @param key the key
     * @param current the entry after the leave (no metas left: the key is gone)
     * @param left the metas that left
     */
    void onLeave(String key, PresenceEntry current, PresenceEntry left);
  }

  /**
   * Starts listening for {@code presence_state} and {@code presence_diff} on the channel. Create it before the
   * channel joins, so that the first state is not missed.
   *
   * @param channel the channel
   */
  public Presence(Channel channel) {
    this.channel = channel;
    channel.on("presence_state", this::stateReceived);
    channel.on("presence_diff", this::diffReceived);
  }

  /**
   * Calls back for each key that joins.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onJoin(JoinCallback callback) {
    return joinCallbacks.add(callback)::run;
  }

  /**
   * Calls back for each key that leaves.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onLeave(LeaveCallback callback) {
    return leaveCallbacks.add(callback)::run;
  }

  /**
   * Calls back after each state or diff was applied.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onSync(Runnable callback) {
    return syncCallbacks.add(callback)::run;
  }

  /**
   * The presences now, one per key, in the state's order.
   *
   * @return the entries
   */
  public List<PresenceEntry> list() {
    return List.copyOf(state.values());
  }

  /**
   * The presences now, each mapped by a chooser.
   *
   * @param chooser maps (key, entry) to what to list
   * @param <T> what is listed
   * @return the chosen values, in the state's order
   */
  public <T> List<T> list(BiFunction<String, PresenceEntry, T> chooser) {
    List<T> chosen = new ArrayList<>();
    state.forEach((key, entry) -> chosen.add(chooser.apply(key, entry)));
    return Collections.unmodifiableList(chosen);
  }

  /**
   * Applies a whole state to a current one, as phoenix.js's {@code Presence.syncState}: keys and metas missing from
   * the new state leave, new ones join. Pure: returns the new state and does not change its arguments.
   *
   * @param current the current state
   * @param incoming the new state
   * @param onJoin called per joined key, or null
   * @param onLeave called per left key, or null
   * @return the new state
   */
  public static Map<String, PresenceEntry> syncState(Map<String, PresenceEntry> current,
      Map<String, PresenceEntry> incoming, JoinCallback onJoin, LeaveCallback onLeave) {
    return PresenceSync.syncState(current, incoming, onJoin, onLeave);
  }

  /**
   * Applies a diff, as phoenix.js's {@code Presence.syncDiff}: joins first, then leaves. Pure.
   *
   * @param current the current state
   * @param diff the diff
   * @param onJoin called per joined key, or null
   * @param onLeave called per left key, or null
   * @return the new state
   */
  public static Map<String, PresenceEntry> syncDiff(Map<String, PresenceEntry> current, PresenceDiff diff,
      JoinCallback onJoin, LeaveCallback onLeave) {
    return PresenceSync.syncDiff(current, diff, onJoin, onLeave);
  }

  /**
   * Reads a {@code presence_state} payload (or one half of a diff).
   *
   * @param object the {@code {"key": {"metas": [...]}, ...}} object
   * @return the entries
   */
  public static Map<String, PresenceEntry> entries(JsonNode object) {
    return PresenceSync.entries(object);
  }

  /**
   * Reads a {@code presence_diff} payload.
   *
   * @param diff the {@code {"joins": {...}, "leaves": {...}}} object
   * @return the diff
   */
  public static PresenceDiff diff(JsonNode diff) {
    return new PresenceDiff(entries(diff.get("joins")), entries(diff.get("leaves")));
  }

  private void stateReceived(Message message) {
    if (message.payload().isBinary()) {
      return;
    }
    lock.lock(); // user callbacks run under it too: list() does not take it, and it is not held across I/O
    try {
      stateJoinRef = message.joinRef() != null ? message.joinRef() : channel.lifecycle().joinRef();
      Map<String, PresenceEntry> next = syncState(state, entries(message.payload().json()), this::joined, this::left);
      for (PresenceDiff diff : pendingDiffs) {
        next = syncDiff(next, diff, this::joined, this::left);
      }
      pendingDiffs.clear();
      state = next;
      synced();
    } finally {
      lock.unlock();
    }
  }

  private void diffReceived(Message message) {
    if (message.payload().isBinary()) {
      return;
    }
    PresenceDiff diff = diff(message.payload().json());
    lock.lock();
    try {
      if (stateJoinRef == null || !stateJoinRef.equals(channel.lifecycle().joinRef())) {
        pendingDiffs.add(diff); // before the first state of this join: applied right after it
        return;
      }
      state = syncDiff(state, diff, this::joined, this::left);
      synced();
    } finally {
      lock.unlock();
    }
  }

  /** After the state changed: onSync, then what a callback threw (reported by the socket). */
  private void synced() {
    syncCallbacks.forEach(callback -> guarded(callback));
    rethrowCallbackError();
  }

  private void joined(String key, PresenceEntry current, PresenceEntry joined) {
    joinCallbacks.forEach(callback -> guarded(() -> callback.onJoin(key, current, joined)));
  }

  private void left(String key, PresenceEntry current, PresenceEntry left) {
    leaveCallbacks.forEach(callback -> guarded(() -> callback.onLeave(key, current, left)));
  }

  /** Runs a user callback; what it throws is kept for after the state was updated (then reported). */
  private void guarded(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException | Error e) {
      if (callbackError == null) {
        callbackError = e;
      }
    }
  }

  private void rethrowCallbackError() {
    Throwable error = callbackError;
    callbackError = null;
    if (error instanceof RuntimeException) {
      throw (RuntimeException) error;
    } else if (error != null) {
      throw (Error) error;
    }
  }
}
