package dev.cinder.example.chat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.offload.JobResult;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * {@code room:{room_id}}: chat rooms. {@code room:secret} is for alice and bob only; every other room is open.
 *
 * <p>After the join reply the client receives its room's {@code message_history} (unless it rejoined with recovery
 * and got every message it missed: rooms keep a history) and {@code presence_state};
 * then the user is tracked in the room's presence (key: user id; meta: online_at, device, status), and everyone
 * in the room (the joiner too) receives {@code user_joined}. {@code new_msg} and {@code user_joined} are intercepted so that
 * each recipient gets its own copy: without messages of users it blocked, and with its relationship to the
 * author.
 */
public final class RoomChannel implements Channel {
  private static final Set<String> SECRET_MEMBERS = Set.of("alice", "bob");

  /** The message a channel sends itself to push what follows the join reply. */
  private enum AfterJoin { INSTANCE }

  private final ChatServices services;
  private String userId;
  private String device;

  public RoomChannel(ChatServices services) {
    this.services = services;
  }

  @Override
  public Set<String> intercepts() {
    return Set.of("new_msg", "user_joined");
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    String roomId = roomId(topic);
    if (!UserIds.valid(roomId)) {
      return Join.error(Map.of("reason", "invalid_room"));
    }
    userId = ctx.assigns().get("user_id");
    device = ctx.assigns().get("device");
    if (roomId.equals("secret") && !SECRET_MEMBERS.contains(userId)) {
      return Join.error(Map.of("reason", "not_a_member"));
    }
    ctx.send(AfterJoin.INSTANCE); // pushes are not allowed before the join reply
    return Join.ok();
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    switch (message) {
      case AfterJoin a -> afterJoin(ctx);
      // Only process_data offloads work; its failures (rare: a timeout) are told to the client that asked.
      case JobResult.Failed failed -> ctx.push("error", Map.of("reason", "process_data_failed"));
      default -> {}
    }
  }

  /** What follows the join reply, in the contract's order. */
  private void afterJoin(ChannelContext ctx) {
    if (!ctx.recovered()) { // a page that recovered its missed messages keeps the ones it shows
      pushHistory(ctx);
    }
    services.presence().pushState(ctx); // presence_state, encoded once for every joiner of a diff window
    services.presence().track(ctx, userId, Map.of(
        "online_at", java.time.Instant.now().getEpochSecond(), "device", device, "status", "online"));
    ctx.broadcast("user_joined", Map.of("user_id", userId));
  }

  private void pushHistory(ChannelContext ctx) {
    List<Map<String, Object>> history;
    try {
      history = services.messages().recent(roomId(ctx.topic())).stream().map(Message::toPayload).toList();
      services.blocks().blockedBy(userId); // warm the cache that every delivered message consults
    } catch (SQLException e) {
      throw new IllegalStateException("cannot load the history of " + ctx.topic(), e); // crash: the client rejoins
    }
    ctx.push("message_history", Map.of("messages", history));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      case "ping" -> Echo.of(payload);
      case "new_msg" -> services.newMessages().handle(event, payload, ctx);
      case "typing" -> typing(event, payload, ctx);
      case "update_status" -> updateStatus(event, payload, ctx);
      case "block" -> block(payload);
      case "process_data" -> ProcessData.handle(payload, ctx, services.jobs());
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }

  /** To everyone else in the room; over the user's budget, dropped silently (see {@link RoomEventLimits}). */
  private Reply typing(String event, Payload payload, ChannelContext ctx) {
    JsonNode typing = payload.isBinary() ? null : payload.field("typing");
    if (typing == null || !typing.isBoolean()) {
      return Reply.error(Map.of("reason", "typing must be true or false"));
    }
    if (!services.limits().allowTyping(event, payload, ctx)) {
      return Reply.none();
    }
    ctx.broadcastFrom("user_typing", Map.of("user_id", userId, "typing", typing.booleanValue()));
    return Reply.none();
  }

  /** The sender's presence meta gets the new status; every subscriber receives the presence_diff. */
  private Reply updateStatus(String event, Payload payload, ChannelContext ctx) {
    String status = payload.isBinary() ? null : payload.string("status");
    if (status == null || status.isBlank() || status.length() > 32) {
      return Reply.error(Map.of("reason", "status must be a string of 1 to 32 characters"));
    }
    if (!services.limits().allowStatus(event, payload, ctx)) {
      return Reply.error(RoomEventLimits.STATUS_RATE_LIMITED);
    }
    services.presence().update(ctx, userId, meta -> {
      Map<String, Object> changed = new java.util.LinkedHashMap<>(meta);
      changed.put("status", status);
      return changed;
    });
    return Reply.ok();
  }

  private Reply block(Payload payload) {
    String target = payload.isBinary() ? null : payload.string("user_id");
    if (!UserIds.valid(target)) {
      return Reply.error(Map.of("reason", "user_id must match ^[A-Za-z0-9_-]{1,64}$"));
    }
    if (target.equals(userId)) {
      return Reply.error(Map.of("reason", "you cannot block yourself"));
    }
    try {
      return services.blocks().block(userId, target)
          ? Reply.ok()
          : Reply.error(Map.of("reason", "too many blocked users"));
    } catch (SQLException e) {
      throw new IllegalStateException("cannot store a block", e);
    }
  }

  /** Each recipient's own copy of the intercepted broadcasts. */
  @Override
  public void handleOut(String event, Payload payload, ChannelContext ctx) {
    if (!payload.isObject()) { // e.g. bytes broadcast by server code: nothing to enrich
      ctx.push(event, payload);
      return;
    }
    String author = payload.string("user_id");
    switch (event) {
      case "new_msg" -> {
        if (!hasBlocked(author)) {
          ctx.push(event, payload.with("is_own_message", userId.equals(author)));
        }
      }
      case "user_joined" -> ctx.push(event, payload.with("relationship",
          userId.equals(author) ? "self" : hasBlocked(author) ? "blocked" : "none"));
      default -> ctx.push(event, payload);
    }
  }

  private boolean hasBlocked(String author) {
    try {
      return author != null && services.blocks().hasBlocked(userId, author);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the block list", e);
    }
  }

  private static String roomId(String topic) {
    return topic.substring("room:".length());
  }
}
