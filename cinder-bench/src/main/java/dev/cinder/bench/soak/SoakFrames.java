package dev.cinder.bench.soak;

import dev.cinder.bench.wire.ServerFrame;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks every frame a soak client receives against what the example promises on {@code room:*} (V2 frames
 * {@code [join_ref, ref, topic, event, payload]}) and moves the client's rooms along their join sequence:
 * <ul>
 *   <li>a reply answers a push of ours, on its topic and join_ref: status ok, or error {@code rate_limited}
 *       (expected, counted apart); a ping's reply echoes its payload;
 *   <li>a push carries the join_ref of a join of ours and no ref: {@code message_history} then
 *       {@code presence_state} after the join reply, {@code user_joined} ("self" for our own), {@code new_msg}
 *       (with {@code is_own_message}; our own come back exactly once), {@code error} {@code rate_limited},
 *       {@code phx_close} only after our leave; {@code phx_error} is always a problem;
 *   <li>a broadcast (no join_ref, no ref) is a {@code presence_diff} or a {@code user_typing} of someone else,
 *       on a room we are in.
 * </ul>
 */
final class SoakFrames {
  static final JsonMapper JSON = JsonMapper.builder().build();

  private SoakFrames() {}

  static void handle(SoakClient c, byte[] text) {
    c.stats.count("frames received");
    c.stats.add("bytes received", text.length);
    ServerFrame f = ServerFrame.parse(text);
    if (f == null) {
      c.problem("malformed frame", clip(new String(text, StandardCharsets.UTF_8)));
      return;
    }
    JsonNode p;
    try {
      p = JSON.readTree(f.payload());
    } catch (RuntimeException e) {
      c.problem("malformed payload", f.event() + " on " + f.topic() + ": " + clip(f.payload()));
      return;
    }
    if (!p.isObject()) {
      c.problem("payload not a JSON object", f.event() + " on " + f.topic());
    } else if (f.event().equals("phx_reply")) {
      reply(c, f, p);
    } else if (f.joinRef() != null) {
      push(c, f, p);
    } else {
      broadcast(c, f, p);
    }
  }

  private static void reply(SoakClient c, ServerFrame f, JsonNode p) {
    SoakClient.Pending op = f.ref() == null ? null : c.pending.remove(f.ref());
    if (op == null) {
      if (f.ref() != null && c.lateRefs.remove(f.ref())) {
        c.stats.count("replies after 60 s (already counted as lost)");
      } else {
        c.problem("reply to no push of ours", f.topic() + " ref " + f.ref() + ": " + clip(f.payload()));
      }
      return;
    }
    if (!op.topic().equals(f.topic()) || !Objects.equals(op.joinRef(), f.joinRef())) {
      c.problem("reply on another topic or join_ref", op.event() + " on " + op.topic() + " answered on " + f.topic());
      return;
    }
    long nanos = System.nanoTime() - op.sentNanos();
    (op.event().equals("phx_join") ? c.stats.joinReply : c.stats.pushReply).recordMicros(nanos);
    if (nanos > SoakClient.SLOW_NANOS) {
      c.stats.count("replies slower than 20 s");
    }
    String status = text(p.get("status"));
    JsonNode response = p.get("response");
    if ("ok".equals(status) && response != null) {
      ok(c, op, response);
    } else if ("error".equals(status) && response != null) {
      String reason = text(response.get("reason"));
      if ("rate_limited".equals(reason)) {
        c.stats.count("rate_limited (expected)");
      } else {
        c.problem("error reply to " + op.event() + ": " + reason, op.topic() + " (" + c.user + ")");
      }
      SoakRoom room = c.rooms.get(op.topic());
      if (op.event().equals("phx_join") && room != null) {
        c.roomGone(room);
      }
    } else {
      c.problem("reply without status ok or error", op.event() + ": " + clip(f.payload()));
    }
  }

  private static void ok(SoakClient c, SoakClient.Pending op, JsonNode response) {
    SoakRoom room = c.rooms.get(op.topic());
    switch (op.event()) {
      case "heartbeat" -> c.stats.count("heartbeat replies");
      case "phx_join" -> {
        c.stats.count("joins ok");
        if (room == null) {
          return; // given up meanwhile (a phx_error came first, already counted)
        }
        room.stage = SoakRoom.Stage.HISTORY;
        c.note("joined " + room.topic);
        room.joinedNanos = System.nanoTime();
        if (c.state == SoakClient.State.LEAVING_ALL) {
          c.leave(room);
        }
      }
      case "phx_leave" -> {
        c.stats.count("leaves ok");
        if (room != null) {
          room.leaveRepliedNanos = System.nanoTime();
        }
      }
      case "ping" -> {
        if (!response.equals(op.expected())) {
          c.problem("ping answered with another payload", response.toString());
        }
      }
      default -> c.stats.count(op.event() + " ok");
    }
  }

  private static void push(SoakClient c, ServerFrame f, JsonNode p) {
    SoakRoom room = c.rooms.get(f.topic());
    if (room == null) {
      c.problem(c.closedTopics.containsKey(f.topic()) ? "push after phx_close" : "push on a topic not joined",
          f.event() + " on " + f.topic());
      return;
    }
    if (!room.joinRef.equals(f.joinRef())) {
      c.problem("push with another join_ref", f.event() + " on " + f.topic() + " join_ref " + f.joinRef() + " not " + room.joinRef);
      return;
    }
    boolean close = f.event().equals("phx_close") || f.event().equals("phx_error");
    if (f.ref() != null && !(close && f.ref().equals(room.joinRef))) {
      c.problem("push with a ref", f.event() + " on " + f.topic());
    }
    if (room.stage == SoakRoom.Stage.JOINING) {
      c.problem("push before the join reply", f.event() + " on " + f.topic());
    }
    switch (f.event()) {
      case "message_history" -> {
        expectStage(c, room, SoakRoom.Stage.HISTORY, f.event());
        JsonNode messages = p.get("messages");
        if (messages == null || !messages.isArray() || messages.size() > 50) {
          c.problem("message_history without its messages (at most 50)", clip(f.payload()));
        }
        room.stage = SoakRoom.Stage.STATE;
      }
      case "presence_state" -> {
        expectStage(c, room, SoakRoom.Stage.STATE, f.event());
        room.view.apply(f.event(), p);
        room.notePresence(f.event(), p, c.fleet.seconds());
        room.stage = SoakRoom.Stage.LIVE;
        c.stats.count("presence_state received");
        c.fleet.presenceSeen();
      }
      case "user_joined" -> userJoined(c, room, p);
      case "new_msg" -> newMessage(c, room, p);
      case "error" -> {
        String reason = text(p.get("reason"));
        if ("rate_limited".equals(reason)) {
          c.stats.count("rate_limited (expected)");
        } else {
          c.problem("error push: " + reason, f.topic() + " (" + c.user + ")");
        }
      }
      case "phx_close" -> {
        c.note("phx_close on " + room.topic);
        if (room.leaving) {
          c.closedTopics.put(room.topic, System.nanoTime());
          c.roomGone(room);
        } else {
          c.problem("phx_close without a leave", f.topic() + " (" + c.user + ")");
          c.roomGone(room);
        }
      }
      case "phx_error" -> {
        c.problem("phx_error (the channel crashed)", f.topic() + " (" + c.user + "): " + clip(f.payload()));
        c.roomGone(room);
      }
      default -> c.problem("unexpected push " + f.event(), f.topic());
    }
  }

  private static void expectStage(SoakClient c, SoakRoom room, SoakRoom.Stage stage, String event) {
    if (room.stage != stage) {
      c.problem("join sequence out of order", event + " at stage " + room.stage + " on " + room.topic);
    }
  }

  private static void userJoined(SoakClient c, SoakRoom room, JsonNode p) {
    String who = text(p.get("user_id"));
    String relationship = text(p.get("relationship"));
    c.stats.count("user_joined received");
    if (who == null || !(c.user.equals(who) ? "self" : "none").equals(relationship)) {
      c.problem("user_joined with a wrong relationship", who + " → " + relationship + " for " + c.user);
    } else if (c.user.equals(who)) {
      if (room.selfJoined) {
        c.problem("user_joined for self twice", room.topic);
      }
      room.selfJoined = true;
    }
  }

  private static void newMessage(SoakClient c, SoakRoom room, JsonNode p) {
    String author = text(p.get("user_id"));
    String body = text(p.get("body"));
    JsonNode own = p.get("is_own_message");
    if (author == null || body == null || !p.path("id").isNumber() || text(p.get("inserted_at")) == null
        || own == null || !own.isBoolean() || own.booleanValue() != c.user.equals(author)) {
      c.problem("new_msg with missing or wrong fields", clip(p.toString()));
      return;
    }
    if (!own.booleanValue()) {
      c.stats.count("new_msg received from others");
      return;
    }
    Long sent = room.ownPending.remove(body);
    if (sent != null) {
      c.stats.count("own new_msg received back");
      c.stats.ownMessage.recordMicros(System.nanoTime() - sent);
      if (System.nanoTime() - sent > SoakClient.SLOW_NANOS) {
        c.stats.count("own new_msg back after more than 20 s");
      }
    } else if (c.lateOwn.remove(body)) {
      c.stats.count("own new_msg after 60 s (already counted as lost)");
    } else {
      c.problem("own new_msg not sent on this join, or twice", room.topic + " \"" + clip(body) + "\"");
    }
  }

  private static void broadcast(SoakClient c, ServerFrame f, JsonNode p) {
    if (f.ref() != null) {
      c.problem("broadcast with a ref", f.event() + " on " + f.topic());
    }
    SoakRoom room = c.rooms.get(f.topic());
    if (room == null && c.closedTopics.containsKey(f.topic())) {
      // A broadcast whose dispatch raced the leave: enqueued after phx_close. Phoenix has the same window (a
      // dispatch that read the subscription before it went) and phoenix.js drops such frames: a notice, not a fault.
      c.stats.count("notice: broadcast after phx_close (" + f.event() + ")");
      return;
    }
    if (room == null) {
      c.problem("broadcast on a topic not joined", f.event() + " on " + f.topic() + " (" + c.user + ")");
      return;
    }
    switch (f.event()) {
      case "presence_diff" -> {
        if (!p.path("joins").isObject() || !p.path("leaves").isObject()) {
          c.problem("presence_diff without joins and leaves", clip(f.payload()));
          return;
        }
        room.view.apply(f.event(), p);
        room.notePresence(f.event(), p, c.fleet.seconds());
        c.stats.count("presence_diff received");
        c.fleet.presenceSeen();
      }
      case "user_typing" -> {
        c.stats.count("user_typing received");
        if (c.user.equals(text(p.get("user_id"))) || !p.path("typing").isBoolean()) {
          c.problem("user_typing to its sender, or without typing", clip(f.payload()) + " to " + c.user);
        }
      }
      default -> c.problem("unexpected broadcast " + f.event(), f.topic());
    }
  }

  private static String text(JsonNode n) {
    return n != null && n.isString() ? n.asString() : null;
  }

  private static String clip(String s) {
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}
