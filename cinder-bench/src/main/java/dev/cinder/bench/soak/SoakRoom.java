package dev.cinder.bench.soak;

import dev.cinder.bench.client.PresenceView;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One {@code room:*} channel of a client session, from its {@code phx_join} to its {@code phx_close}: where it is in
 * the join sequence the example promises (reply, {@code message_history}, {@code presence_state}, then the user's own
 * {@code user_joined}), the presence list rebuilt from what arrived (as phoenix.js does), and the messages this
 * client sent that it has not yet received back. Touched only on the client's I/O thread.
 */
final class SoakRoom {
  enum Stage {
    /** phx_join sent, no reply yet. */
    JOINING,
    /** Joined; message_history comes next. */
    HISTORY,
    /** message_history came; presence_state comes next. */
    STATE,
    /** The whole join sequence came. */
    LIVE
  }

  final String topic;
  final String joinRef;
  final long joinSentNanos;
  final PresenceView view = new PresenceView();
  /** Bodies of this client's new_msg pushes not received back yet, with when they were sent. */
  final Map<String, Long> ownPending = new HashMap<>();
  Stage stage = Stage.JOINING;
  /** phx_leave sent: its reply, then phx_close, come next (and whatever the server had queued before them). */
  boolean leaving;
  long joinedNanos;
  long leaveRepliedNanos;
  boolean selfJoined;
  /** A join step already reported as missing, so each is reported once. */
  boolean reported;
  /** Per presence key, the last few presence events that named it (when, and which phx_refs): for a wrong list. */
  private final Map<String, Deque<String>> keyLog = new HashMap<>();

  SoakRoom(String topic, String joinRef, long now) {
    this.topic = topic;
    this.joinRef = joinRef;
    this.joinSentNanos = now;
  }

  /** Notes which keys a presence_state or presence_diff named, at {@code seconds} into the run. */
  void notePresence(String event, JsonNode payload, double seconds) {
    String at = String.format(java.util.Locale.ROOT, "%.1fs ", seconds);
    if (event.equals("presence_state")) {
      payload.properties().forEach(e -> note(e.getKey(), at + "state" + refs(e.getValue())));
    } else {
      payload.path("joins").properties().forEach(e -> note(e.getKey(), at + "join" + refs(e.getValue())));
      payload.path("leaves").properties().forEach(e -> note(e.getKey(), at + "leave" + refs(e.getValue())));
    }
  }

  private void note(String key, String event) {
    Deque<String> log = keyLog.computeIfAbsent(key, k -> new ArrayDeque<>());
    if (log.size() == 4) {
      log.removeFirst();
    }
    log.addLast(event);
  }

  private static List<String> refs(JsonNode entry) {
    List<String> out = new ArrayList<>();
    entry.path("metas").forEach(m -> out.add(m.path("phx_ref").asString()));
    return out;
  }

  /** The last presence events of {@code key} on this join, oldest first. */
  List<String> presenceEvents(String key) {
    return List.copyOf(keyLog.getOrDefault(key, new ArrayDeque<>()));
  }

  /** Joined, the whole join sequence arrived, and not leaving: the room takes pushes and its list counts. */
  boolean live() {
    return stage == Stage.LIVE && selfJoined && !leaving;
  }
}
