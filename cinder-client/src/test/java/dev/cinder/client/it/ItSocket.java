package dev.cinder.client.it;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.History;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.presence.Presence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import tools.jackson.databind.JsonNode;

/**
 * The server side the client's tests talk to. A connect needs a {@code token} query param or an authToken (either
 * one becomes the user; {@code refuse} is refused), and every connect is recorded, so a test sees what each
 * (re)connect sent. Routes: {@code room:*} ({@link RoomChannel}), {@code presence:*} ({@link PresenceRoomChannel}),
 * and rooms that keep a history for recovery: {@code history:*} (500 broadcasts) and {@code brief:*} (3).
 */
final class ItSocket implements SocketHandler {
  /** What one connect carried; {@code testHeader} is the request's {@code X-Client-Test} header. */
  record Connected(Map<String, String> params, String authToken, String transport, String user, String testHeader) {}

  /** What one join carried. */
  record Joined(String topic, String user, JsonNode params) {}

  /** Every connect accepted or refused, in order. */
  final List<Connected> connects = new CopyOnWriteArrayList<>();
  /** Every join the channels saw, in order (refused ones included). */
  final List<Joined> joins = new CopyOnWriteArrayList<>();
  /** Every binary payload a room received, as "event:hex". */
  final List<String> binaries = new CopyOnWriteArrayList<>();
  /** Every text event a room received, as "topic event payload". */
  final List<String> events = new CopyOnWriteArrayList<>();
  /** The presence of the current endpoint (a restart makes a new one). */
  volatile Presence presence;

  @Override
  public void routes(Routes routes) {
    routes.channel("room:*", () -> new RoomChannel(this))
        .channel("presence:*", () -> new PresenceRoomChannel(this))
        .channel("history:*", () -> new RoomChannel(this), History.of(500, Duration.ofMinutes(5)))
        .channel("brief:*", () -> new RoomChannel(this), History.of(3, Duration.ofMinutes(5)));
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    String user = params.get("token") != null ? params.get("token") : info.authToken();
    connects.add(new Connected(params.values(), info.authToken(), info.transport(), user, info.header("x-client-test")));
    if (user == null || user.equals("refuse")) {
      return Connect.refuse();
    }
    return Connect.ok(Map.of("user", user));
  }

  @Override
  public String id(Assigns assigns) {
    return null; // no socket id: several clients of one user stay independent
  }

  /** The users of the connects so far, in order. */
  List<String> connectedUsers() {
    return connects.stream().map(Connected::user).toList();
  }

  /** How many connects carried this user. */
  long connectsOf(String user) {
    return connects.stream().filter(c -> user.equals(c.user())).count();
  }

  /** How many joins of this topic the channels saw. */
  long joinsOf(String topic) {
    return joins.stream().filter(j -> j.topic().equals(topic)).count();
  }
}
