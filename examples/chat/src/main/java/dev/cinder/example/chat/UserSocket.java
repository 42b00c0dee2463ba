package dev.cinder.example.chat;

import dev.cinder.Assigns;
import dev.cinder.Channel;
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
import java.util.function.Supplier;

/**
 * Authenticates sockets with a Phoenix.Token of the user id (salt {@code "user auth"}), from the {@code token}
 * param or the official client's {@code authToken} option, and routes the example's topics.
 */
public final class UserSocket implements SocketHandler {
  static final String TOKEN_SALT = "user auth";
  static final History ROOM_HISTORY = History.of(1000, Duration.ofMinutes(5));
  static final History NOTIFICATION_HISTORY = History.of(100, Duration.ofMinutes(5));

  private final PhoenixToken tokens;
  private final Supplier<? extends Channel> rooms;
  private final Supplier<? extends Channel> notifications;
  private final Supplier<? extends Channel> benchPresence;
  private final Supplier<? extends Channel> bench;

  UserSocket(PhoenixToken tokens, ChatServices services) {
    this(tokens, () -> new RoomChannel(services), NotificationChannel::new,
        () -> new BenchPresenceChannel(services.presence()), BenchChannel::new);
  }

  /**
   * With the channels made elsewhere, one new instance per join from each supplier: {@code room:*},
   * {@code notifications:*}, {@code bench_presence:*} and {@code bench:*} (e.g. prototype beans of a Spring context).
   */
  public UserSocket(PhoenixToken tokens, Supplier<? extends Channel> rooms, Supplier<? extends Channel> notifications,
      Supplier<? extends Channel> benchPresence, Supplier<? extends Channel> bench) {
    this.tokens = tokens;
    this.rooms = rooms;
    this.notifications = notifications;
    this.benchPresence = benchPresence;
    this.bench = bench;
  }

  @Override
  public void routes(Routes routes) {
    // Rooms and notifications keep their recent broadcasts, so a page that reconnects gets what it missed.
    routes.channel("room:*", rooms, ROOM_HISTORY)
        .channel("notifications:*", notifications, NOTIFICATION_HISTORY)
        .channel("bench_presence:*", benchPresence)
        .channel("bench:*", bench);
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
