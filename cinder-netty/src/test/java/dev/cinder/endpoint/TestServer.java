package dev.cinder.endpoint;

import dev.cinder.CheckOrigin;
import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** An endpoint on a free port serving {@link TestSocket} at /socket, for one test class. */
final class TestServer implements AutoCloseable {
  final TestSocket socket = new TestSocket();
  final Endpoint endpoint;

  TestServer() {
    this(SocketOptions.defaults()
        .maxChannels(5)
        .idleTimeout(Duration.ofSeconds(2))
        .checkOrigin(CheckOrigin.list(List.of("http://allowed.example"))));
  }

  TestServer(SocketOptions options) {
    this(options, IoTransport.AUTO);
  }

  TestServer(SocketOptions options, IoTransport transport) {
    this(options, transport, null, b -> { });
  }

  /** With more settings or routes on the builder, e.g. {@code b -> b.http(options).post("/echo", handler)}. */
  TestServer(SocketOptions options, Consumer<Endpoint.Builder> configure) {
    this(options, IoTransport.AUTO, null, configure);
  }

  /** One node of a cluster: {@code pubSub} joins it to the others (null: a local PubSub). */
  TestServer(SocketOptions options, PubSub pubSub) {
    this(options, IoTransport.AUTO, pubSub, b -> { });
  }

  private TestServer(SocketOptions options, IoTransport transport, PubSub pubSub, Consumer<Endpoint.Builder> configure) {
    Endpoint.Builder builder = Endpoint.builder();
    if (pubSub != null) {
      builder.pubSub(pubSub);
    }
    configure.accept(builder);
    endpoint = builder
        .ioTransport(transport)
        .host("127.0.0.1")
        .port(0)
        .secretKeyBase("a".repeat(64))
        .socket("/socket", socket, options)
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")))
        .build()
        .start();
  }

  String wsUrl(String query) {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket/websocket?" + query;
  }

  /** The URL prefix the official client takes: it appends /websocket itself. */
  String socketUrl() {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket";
  }

  @Override
  public void close() {
    endpoint.close();
  }
}
