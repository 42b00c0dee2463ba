package dev.cinder.client;

import dev.cinder.client.internal.LongPollTransport;
import dev.cinder.client.internal.WebSocketTransport;
import java.net.http.HttpClient;
import java.time.Duration;

/** The built-in transports, both on the JDK's {@code java.net.http}. */
public final class Transports {
  /** How long a long-poll request may take: the server holds a poll for up to 10 s by default. */
  static final Duration LONG_POLL_REQUEST_TIMEOUT = Duration.ofSeconds(20);
  /** How long a WebSocket upgrade may take by default. */
  static final Duration WEBSOCKET_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

  private Transports() {}

  /**
   * WebSocket on a new {@link HttpClient}.
   *
   * @return the factory
   */
  public static TransportFactory webSocket() {
    return webSocket(HttpClient.newHttpClient());
  }

  /**
   * WebSocket on the given client; an upgrade not answered within 10 s fails.
   *
   * @param client the client
   * @return the factory
   */
  public static TransportFactory webSocket(HttpClient client) {
    return webSocket(client, WEBSOCKET_HANDSHAKE_TIMEOUT);
  }

  /**
   * WebSocket on the given client, with a bound on the upgrade: a handshake not answered in time fails (and its
   * connection is closed), and the socket reconnects or falls back.
   *
   * @param client the client
   * @param handshakeTimeout how long the upgrade may take, answer included
   * @return the factory
   */
  public static TransportFactory webSocket(HttpClient client, Duration handshakeTimeout) {
    return new Named("websocket",
        (request, listener) -> WebSocketTransport.open(client, request, listener, handshakeTimeout));
  }

  /**
   * Long-poll ({@code GET}/{@code POST /longpoll}) on a new {@link HttpClient}.
   *
   * @return the factory
   */
  public static TransportFactory longPoll() {
    return longPoll(HttpClient.newHttpClient());
  }

  /**
   * Long-poll on the given client.
   *
   * @param client the client
   * @return the factory
   */
  public static TransportFactory longPoll(HttpClient client) {
    return new Named("longpoll",
        (request, listener) -> LongPollTransport.open(client, request, listener, LONG_POLL_REQUEST_TIMEOUT));
  }

  /** A factory that knows the name of its transport before opening one. */
  record Named(String name, TransportFactory factory) implements TransportFactory {
    @Override
    public Transport open(TransportRequest request, TransportListener listener) {
      return factory.open(request, listener);
    }
  }
}
