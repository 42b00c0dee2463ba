package dev.cinder.guide;

import dev.cinder.client.Backoff;
import dev.cinder.client.Channel;
import dev.cinder.client.Presence;
import dev.cinder.client.PresenceEntry;
import dev.cinder.client.PushTimeoutException;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;

/** The guide's Java client (page 13): a service that talks to the chat server as a user would. */
public final class ChatClient implements AutoCloseable {
  /** A message of the room, as the service reads it. */
  public record Shout(String from, String body) {}

  private final Socket socket;
  private final Channel room;
  private final Presence presence;
  private final BlockingQueue<Shout> shouts = new LinkedBlockingQueue<>();

  public ChatClient(String socketUrl, Supplier<String> currentToken, String roomName) {
    // region: client-connect
    Socket socket = Socket.builder(socketUrl)               // "ws://host:4000/socket"
        .params(() -> Map.of("token", currentToken.get()))  // read again on every reconnect
        .build();
    socket.onError(error -> System.err.println("socket: " + error.getMessage()));
    socket.connect();                                        // reconnects by itself until disconnect()
    // endregion
    this.socket = socket;

    // region: client-channel
    Channel room = socket.channel("room:" + roomName, () -> Map.of("device", "service"));
    room.on("shout", message -> shouts.add(message.payload().as(Shout.class)));
    // endregion
    this.room = room;

    // region: client-presence
    Presence presence = new Presence(room);   // before join(), so that no presence_state is missed
    presence.onJoin((key, current, joined) -> {
      if (current == null) {
        System.out.println(key + " came in");
      }
    });
    presence.onSync(() -> System.out.println("online: " + presence.list((key, entry) -> key)));
    // endregion
    this.presence = presence;

    // region: client-join
    room.join().thenAccept(reply -> {
      if (!reply.isOk()) {
        System.err.println("refused: " + reply.response()); // it rejoins with backoff meanwhile
      }
    });
    // endregion
  }

  /** Pings the room; the server answers with the payload. */
  public CompletableFuture<String> ping(String text) {
    // region: client-push
    return room.push("ping", Map.of("text", text))          // pushes made before the join completes wait for it
        .thenApply(reply -> reply.response().json().get("text").asString())
        .exceptionally(error -> {
          if (error.getCause() instanceof PushTimeoutException) {
            return "no answer in time";
          }
          throw new IllegalStateException(error);
        });
    // endregion
  }

  /** Pings with bytes: a binary frame each way. */
  public CompletableFuture<byte[]> pingBytes(byte[] bytes) {
    // region: client-binary
    return room.push("ping", bytes).thenApply(reply -> reply.response().bytes());
    // endregion
  }

  public CompletableFuture<Reply> shout(String body) {
    return room.push("shout", Map.of("body", body));
  }

  public BlockingQueue<Shout> shouts() {
    return shouts;
  }

  public List<String> online() {
    return presence.list((key, entry) -> key);
  }

  public List<PresenceEntry> presences() {
    return presence.list();
  }

  public Channel room() {
    return room;
  }

  @Override
  public void close() {
    socket.close(); // no more reconnects; waits for the close (at most 5 s)
  }

  /** A room that recovers what it missed while the connection was down (a topic whose route keeps a history). */
  static Channel recoveringRoom(Socket socket, String name, Runnable reloadEverything) {
    // region: client-recovery
    Channel room = socket.channel("room:" + name).recover();  // before join()
    room.onRecovery(recovery -> {
      if (!recovery.recovered()) {
        reloadEverything.run(); // a first join, or history lost or too old: what was missed is not replayed
      }
    });
    room.join();
    // endregion
    return room;
  }

  static Socket tuned(String socketUrl, Supplier<String> currentToken) {
    // region: client-options
    return Socket.builder(socketUrl)
        .authToken(currentToken)                         // the Sec-WebSocket-Protocol token, not in the URL
        .longPollFallback(Duration.ofSeconds(3))         // no WebSocket after 3 s: long-poll, and stay on it
        .heartbeatInterval(Duration.ofSeconds(30))       // the defaults, spelled out
        .timeout(Duration.ofSeconds(10))
        .reconnectBackoff(Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(5)))
        .rejoinBackoff(Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10)))
        .build();
    // endregion
  }
}
