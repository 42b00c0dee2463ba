package dev.cinder.example.chat;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.util.Map;

/**
 * Authenticates sockets with a Phoenix.Token of the user id (salt {@code "user auth"}), from the {@code token}
 * param or the official client's {@code authToken} option, and routes the example's topics.
 */
final class UserSocket implements SocketHandler {
  static final String TOKEN_SALT = "user auth";

  private final PhoenixToken tokens;
  private final ChatServices services;

  UserSocket(PhoenixToken tokens, ChatServices services) {
    this.tokens = tokens;
    this.services = services;
  }

  @Override
  public void routes(Routes routes) {
    routes.channel("room:*", () -> new RoomChannel(services))
        .channel("notifications:*", NotificationChannel::new)
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
