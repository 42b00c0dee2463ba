package dev.cinder.client.it;

import dev.cinder.CheckOrigin;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.DrainOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Cinder server on a free port serving {@link ItSocket} at {@code /socket} (WebSocket and long-poll) and
 * at {@code /nows} (long-poll only: a WebSocket upgrade there fails, for the long-poll fallback), and at
 * {@code /strict} (only the Origin {@link #ALLOWED_ORIGIN}). It can be
 * restarted on the same port, as a deploy does: clients see the drain's close and reconnect to the new one.
 *
 * <p>{@code new ItServer()} starts one at once (for a try-with-resources); {@link #perClass()} is a JUnit extension
 * that starts one before a class's first test and stops it after its last.
 */
final class ItServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  /** The one Origin the {@code /strict} mount accepts. */
  static final String ALLOWED_ORIGIN = "http://allowed.example";
  final ItSocket socket = new ItSocket();
  private volatile Endpoint endpoint;
  private volatile int port;

  ItServer() {
    start(0);
  }

  private ItServer(boolean started) {
    if (started) {
      start(0);
    }
  }

  /** For {@code @RegisterExtension static final ItServer server = ItServer.perClass();}. */
  static ItServer perClass() {
    return new ItServer(false);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start(0);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  private void start(int wanted) {
    RuntimeException last = null;
    for (int attempt = 0; attempt < 50; attempt++) { // the old listener's port may take a moment to be free again
      try {
        Endpoint started = Endpoint.builder()
            .host("127.0.0.1")
            .port(wanted)
            .secretKeyBase("c".repeat(64))
            .drain(DrainOptions.defaults().batchInterval(Duration.ofMillis(10)).shutdown(Duration.ofSeconds(5)))
            .socket("/socket", socket, SocketOptions.defaults().longPoll(true).maxChannels(20))
            .socket("/nows", socket, SocketOptions.defaults().websocket(false).longPoll(true))
            .socket("/strict", socket, SocketOptions.defaults().longPoll(true)
                .checkOrigin(CheckOrigin.list(List.of(ALLOWED_ORIGIN))))
            .build()
            .start();
        socket.presence = Presence.create(started.pubSub(), "n1",
            PresenceOptions.defaults().diffWindow(Duration.ofMillis(10)));
        endpoint = started;
        port = started.port();
        return;
      } catch (RuntimeException e) {
        last = e;
        sleep(100);
      }
    }
    throw new IllegalStateException("cannot start the test server on port " + wanted, last);
  }

  int port() {
    return port;
  }

  /** What the client takes: the transport appends /websocket or /longpoll. */
  String url() {
    return "ws://127.0.0.1:" + port + "/socket";
  }

  /** The mount that checks the Origin. */
  String strictUrl() {
    return "ws://127.0.0.1:" + port + "/strict";
  }

  /** The mount without WebSocket. */
  String longPollOnlyUrl() {
    return "ws://127.0.0.1:" + port + "/nows";
  }

  /** Stops the endpoint (its clients get the drain's close) and starts a new one on the same port. */
  void restart() {
    stop();
    start(port);
  }

  void broadcast(String topic, String event, Object payload) {
    endpoint.broadcast(topic, event, payload);
  }

  int subscribers(String topic) {
    return endpoint.pubSub().subscriberCount(topic);
  }

  /** The server's presence list of a topic: key to {"metas": [...]}. */
  Map<String, Map<String, Object>> presenceList(String topic) {
    return socket.presence.list(topic);
  }

  private void stop() {
    endpoint.close();
    socket.presence.close();
  }

  @Override
  public void close() {
    stop();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
