package dev.cinder.presence;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A channel ({@code room:*}) that does what the example chat's rooms do with presence: after the join reply it
 * pushes {@code presence_state} ({@code presence_count} on a count-only topic), then tracks its user (join param {@code "user"}) with {@code {"status":
 * "online"}}. Events: {@code status} {@code {"status"}} updates the meta; {@code untrack} untracks.
 */
final class PresenceRoom implements Channel {
  private final Presence presence;
  private String user;

  PresenceRoom(Presence presence) {
    this.presence = presence;
  }

  /** A socket mount at {@code /socket} whose {@code room:*} channels are PresenceRooms of {@code presence}. */
  static SocketMount mount(PubSub pubSub, Presence presence) {
    SocketHandler handler = new SocketHandler() {
      @Override
      public void routes(Routes routes) {
        routes.channel("room:*", () -> new PresenceRoom(presence));
      }

      @Override
      public Connect connect(Params params, ConnectInfo info) {
        return Connect.ok();
      }
    };
    return new SocketMount("/socket", handler, SocketOptions.defaults(), pubSub, new Telemetry());
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    user = params.string("user");
    ctx.send("after_join");
    return Join.ok();
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    presence.pushState(ctx); // presence_state, or presence_count on a count-only topic
    presence.track(ctx, user, Map.of("status", "online"));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    switch (event) {
      case "status" -> presence.update(ctx, user, meta -> {
        Map<String, Object> changed = new LinkedHashMap<>(meta);
        changed.put("status", payload.string("status"));
        return changed;
      });
      case "untrack" -> presence.untrack(ctx, user);
      default -> {
        return Reply.error(Map.of("reason", "unknown_event"));
      }
    }
    return Reply.ok();
  }
}
