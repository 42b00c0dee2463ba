package dev.cinder.client.it;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import java.util.HashMap;
import java.util.Map;

/**
 * Tracks its user with {@code {device, status}} as Phoenix apps do: after the join it pushes presence_state and
 * tracks; {@code status} changes the status; {@code say} broadcasts a chat message.
 */
final class PresenceRoomChannel implements Channel {
  private final ItSocket socket;
  private String device;

  PresenceRoomChannel(ItSocket socket) {
    this.socket = socket;
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    socket.joins.add(new ItSocket.Joined(topic, ctx.assigns().get("user"), params.json()));
    device = params.string("device") == null ? "unknown" : params.string("device");
    ctx.send("after_join");
    return Join.ok();
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    socket.presence.pushState(ctx);
    socket.presence.track(ctx, ctx.assigns().get("user"), Map.of("device", device, "status", "online"));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    switch (event) {
      case "status" -> {
        socket.presence.update(ctx, ctx.assigns().get("user"), meta -> {
          Map<String, Object> changed = new HashMap<>(meta);
          changed.put("status", payload.string("status"));
          return changed;
        });
        return Reply.ok();
      }
      case "say" -> {
        ctx.broadcast("said", payload.with("from", ctx.assigns().get("user")));
        return Reply.ok();
      }
      default -> {
        return Reply.error(Map.of("reason", "unknown_event"));
      }
    }
  }
}
