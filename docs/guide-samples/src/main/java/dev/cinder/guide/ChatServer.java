package dev.cinder.guide;

import dev.cinder.CheckOrigin;
import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.offload.Offloader;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The guide's application on one node: an endpoint with the socket at {@code /socket}, presence and jobs. */
public final class ChatServer implements AutoCloseable {
  private final Endpoint endpoint;
  private final Presence presence;
  private final Offloader jobs;

  private ChatServer(Endpoint endpoint, Presence presence, Offloader jobs) {
    this.endpoint = endpoint;
    this.presence = presence;
    this.jobs = jobs;
  }

  // region: server-start
  public static ChatServer start(int port, String secretKeyBase) {
    Telemetry telemetry = new Telemetry();
    PubSub pubSub = new LocalPubSub(telemetry);
    // region: presence-create
    // Stage rooms have thousands of viewers: they get a count, not the list.
    PresenceOptions presenceOptions = PresenceOptions.defaults().countOnly(topic -> topic.startsWith("room:stage-"));
    Presence presence = Presence.create(pubSub, presenceOptions, telemetry);
    // endregion
    // region: offloader-create
    Offloader jobs = Offloader.builder().maxConcurrent(64).maxPerChannel(2).timeout(Duration.ofSeconds(30)).build();
    // endregion
    PhoenixToken tokens = PhoenixToken.forSecret(secretKeyBase);
    SocketOptions socketOptions = SocketOptions.defaults()
        .checkOrigin(CheckOrigin.list(List.of("https://chat.example.com", "//localhost")));
    Endpoint endpoint = Endpoint.builder()
        .port(port)
        .secretKeyBase(secretKeyBase)
        .telemetry(telemetry)
        .pubSub(pubSub)
        .socket("/socket", new UserSocket(tokens, presence, jobs), socketOptions)
        .build()
        .start();
    return new ChatServer(endpoint, presence, jobs);
  }
  // endregion

  // region: server-announce
  /** A broadcast from outside any channel: every client in the room receives it. */
  public void announce(String room, String text) {
    endpoint.broadcast("room:" + room, "announcement", Map.of("text", text));
  }
  // endregion

  // region: server-disconnect
  /** Closes every socket of a user (after a logout or a ban); the clients reconnect and must connect anew. */
  public void disconnect(String userId) {
    endpoint.broadcast("user_socket:" + userId, "disconnect", Map.of());
  }
  // endregion

  /** The token a client of {@code userId} connects with. */
  public String tokenFor(String userId) {
    return UserSocket.tokenFor(endpoint.token(), userId);
  }

  /** The URL the official client is given: it appends {@code /websocket} or {@code /longpoll} itself. */
  public String socketUrl() {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket";
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public Presence presence() {
    return presence;
  }

  // region: server-close
  @Override
  public void close() {
    endpoint.close();  // drains: sockets close in batches, channels terminate, presences untrack
    jobs.close();      // interrupts the jobs still running
    presence.close();  // after the endpoint, so the last leaves still go out
  }
  // endregion
}
