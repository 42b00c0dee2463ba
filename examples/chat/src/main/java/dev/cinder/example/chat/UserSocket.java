package dev.cinder.example.chat;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.History;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.time.Duration;
import java.util.Map;

/**
 * Authenticates sockets with a Phoenix.Token of the user id (salt {@code "user auth"}), from the {@code token}
 * param or the official client's {@code authToken} option, and routes the example's topics.
 */
final class UserSocket implements SocketHandler {
  static final String TOKEN_SALT = "user auth";
  static final History ROOM_HISTORY = History.of(1000, Duration.ofMinutes(5));
  static final History NOTIFICATION_HISTORY = History.of(100, Duration.ofMinutes(5));

  private final PhoenixToken tokens;
  private final ChatServices services;

  UserSocket(PhoenixToken tokens, ChatServices services) {
    this.tokens = tokens;
    this.services = services;
  }

  @Override
  public void routes(Routes routes) {
    // Rooms and notifications keep their recent broadcasts, so a page that reconnects gets what it missed.
    routes.channel("room:*", () -> new RoomChannel(services), ROOM_HISTORY)
        .channel("notifications:*", NotificationChannel::new, NOTIFICATION_HISTORY)
        .channel("bench_presence:*", () -> new BenchPresenceChannel(services.presence()))
        .channel("bench:*", BenchChannel::new);
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    String token = params.get("token") != null ? params.get("token") : info.authToken();
    if (tokens.verify(TOKEN_SALT, token, PhoenixToken.DEFAULT_MAX_AGE) instanceof TokenResult.Valid(Object data)
        && data instanceof String userId && UserIds.valid(userId)) {
      String device = params.get("device");
      return Connect.ok(Map.of("user_id", userId, "device", device == null || device.isBlank() ? "unknown" : device));
    }
    return Connect.refuse();
  }

  @Override
  public String id(Assigns assigns) {
    return "user_socket:" + assigns.<String>get("user_id");
  }
}
