package dev.cinder.micrometer;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import java.util.Map;

/**
 * The socket the trace tests drive: connect refuses {@code refuse=1}; room "room:crash" crashes its join; events
 * "echo" (replies its payload), "boom" (crashes) and "shout" (broadcasts "shouted" to the room, then replies ok).
 */
final class RoomSocket implements SocketHandler {
  @Override
  public void routes(Routes routes) {
    routes.channel("room:*", Room::new);
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    return "1".equals(params.get("refuse")) ? Connect.refuse() : Connect.ok(Map.of("user", params.get("user", "anon")));
  }

  @Override
  public String id(Assigns assigns) {
    return "user_socket:" + assigns.get("user");
  }

  private static final class Room implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      if (topic.equals("room:crash")) {
        throw new IllegalStateException("join went wrong");
      }
      return Join.ok();
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return switch (event) {
        case "echo" -> Reply.ok(payload);
        case "boom" -> throw new IllegalArgumentException("boom");
        case "shout" -> {
          ctx.broadcast("shouted", payload);
          yield Reply.ok();
        }
        default -> Reply.error(Map.of("reason", "unknown event"));
      };
    }
  }
}
