package dev.cinder.guide;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import dev.cinder.StopReason;
import dev.cinder.presence.Presence;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code room:<name>}: a chat room. Rooms whose name starts with {@code staff-} admit staff only. After the
 * join, the client receives the room's presence list and is tracked in it.
 */
public final class RoomChannel implements Channel {
  private static final Logger log = LoggerFactory.getLogger(RoomChannel.class);
  private static final Set<String> STAFF = Set.of("alice");

  /** What the channel sends itself from {@code join}, to push once the join reply is out. */
  private record AfterJoin() {}

  /** A reply the channel owes its client, sent from {@code handleInfo}. */
  private record LateReply(ReplyRef ref, Payload payload) {}

  private final Presence presence;
  private String userId;

  public RoomChannel(Presence presence) {
    this.presence = presence;
  }

  // region: room-join
  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    userId = ctx.assigns().get("user_id");
    String room = topic.substring("room:".length());
    if (room.startsWith("staff-") && !STAFF.contains(userId)) {
      return Join.error(Map.of("reason", "unauthorized"));
    }
    ctx.send(new AfterJoin()); // no push before the join reply: do it from handleInfo
    return Join.ok(Map.of("user_id", userId));
  }
  // endregion

  // region: room-handle-info
  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    switch (message) {
      case AfterJoin() -> afterJoin(ctx);
      case LateReply(ReplyRef ref, Payload payload) -> ctx.reply(ref, Reply.ok(payload));
      default -> log.warn("unexpected message {}", message);
    }
  }
  // endregion

  // region: room-after-join
  private void afterJoin(ChannelContext ctx) {
    presence.pushState(ctx); // presence_state, or presence_count in a stage room
    presence.track(ctx, userId, Map.of("online_at", Instant.now().getEpochSecond()));
  }
  // endregion

  // region: room-handle-in
  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      // Answer the push: the client's receive("ok", ...) gets the payload back.
      case "ping" -> Reply.ok(payload);
      // To everyone in the room, the sender included.
      case "shout" -> {
        ctx.broadcast("shout", Map.of("from", userId, "body", payload.string("body")));
        yield Reply.ok();
      }
      // To everyone in the room but the sender.
      case "typing" -> {
        ctx.broadcastFrom("typing", Map.of("user_id", userId));
        yield Reply.none();
      }
      // To the sender only, as a message of its own rather than a reply.
      case "whoami" -> {
        ctx.push("you_are", Map.of("user_id", userId, "topic", ctx.topic()));
        yield Reply.none();
      }
      case "slow_echo" -> slowEcho(payload, ctx);
      case "leave_room" -> {
        ctx.stop(); // the client receives phx_close after this reply
        yield Reply.ok();
      }
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }
  // endregion

  // region: room-reply-later
  /** Keeps the message's ref and answers it later, from handleInfo. */
  private Reply slowEcho(Payload payload, ChannelContext ctx) {
    ReplyRef ref = ctx.replyRef();
    ctx.sendAfter(new LateReply(ref, payload), Duration.ofMillis(200));
    return Reply.none();
  }
  // endregion

  // region: room-terminate
  @Override
  public void terminate(StopReason reason, ChannelContext ctx) {
    log.debug("{} left {}: {}", userId, ctx.topic(), reason); // presence untracks by itself
  }
  // endregion
}
