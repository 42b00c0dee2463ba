package dev.cinder.example.chat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code room:{room_id}}: chat rooms. {@code room:secret} is for alice and bob only; every other room is open.
 */
final class RoomChannel implements Channel {
  private static final Set<String> SECRET_MEMBERS = Set.of("alice", "bob");
  private static final AtomicLong IDS = new AtomicLong();

  private final ChatServices services;

  RoomChannel(ChatServices services) {
    this.services = services;
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    String roomId = topic.substring("room:".length());
    if (!UserIds.valid(roomId)) {
      return Join.error(Map.of("reason", "invalid_room"));
    }
    String userId = ctx.assigns().get("user_id");
    if (roomId.equals("secret") && !SECRET_MEMBERS.contains(userId)) {
      return Join.error(Map.of("reason", "not_a_member"));
    }
    return Join.ok();
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      case "ping" -> Echo.of(payload);
      case "new_msg" -> newMessage(payload, ctx);
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }

  private Reply newMessage(Payload payload, ChannelContext ctx) {
    String body = payload.string("body");
    if (body == null || body.isEmpty()) {
      ctx.push("error", Map.of("reason", "Missing required fields: body"));
      return Reply.none();
    }
    Map<String, Object> msg = new LinkedHashMap<>();
    msg.put("id", IDS.incrementAndGet());
    msg.put("body", body);
    msg.put("user_id", ctx.assigns().get("user_id"));
    msg.put("inserted_at", Instant.now().toString());
    ctx.broadcast("new_msg", msg);
    return Reply.none();
  }
}
