package dev.cinder.client;

import dev.cinder.client.internal.Urls;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.json.JsonMapper;

/**
 * One connection to a Phoenix channels endpoint (WebSocket by default, long-poll as a transport or a fallback),
 * carrying any number of {@link Channel}s. It reconnects by itself, with backoff, until {@link #disconnect()}.
 *
 * <p>Thread model: every method may be called from any thread (virtual threads included) and does not block,
 * except {@link #close()}. State changes happen on the socket's own serial event loop, never on a transport's I/O
 * thread; user callbacks (listeners, handlers and the completions of the futures it returns) run on the callback
 * executor ({@link Builder#callbackExecutor}), by default one at a time and in order, on a shared pool of daemon
 * threads named {@code cinder-client-callbacks-N} (made on demand, gone after a minute idle). A callback may block:
 * it delays only the later callbacks of its own socket. A callback that throws is reported to the {@link #onError}
 * listeners (or logged) and does not stop the socket.
 */
public final class Socket implements AutoCloseable {
  private final Connection connection;

  private Socket(Builder builder) {
    this.connection = new Connection(builder);
  }

  /**
   * A builder for a socket on an endpoint.
   *
   * @param endpoint as phoenix.js takes it, e.g. {@code "ws://host:4000/socket"} (ws, wss, http or https); the
   *     transport appends {@code /websocket} or {@code /longpoll} and the query
   * @return the builder
   * @throws IllegalArgumentException when the endpoint is not a ws, wss, http or https URL with a host
   */
  public static Builder builder(String endpoint) {
    return new Builder(Urls.endpoint(Objects.requireNonNull(endpoint, "endpoint")));
  }

  /**
   * Starts connecting, if not already connected or connecting. The socket keeps reconnecting with backoff until
   * {@link #disconnect()}.
   *
   * @return completes at the next open
   */
  public CompletableFuture<Void> connect() {
    return connection.connect();
  }

  /**
   * Stops reconnecting and closes the connection with code 1000. Channels stay as they are and rejoin after a
   * later {@link #connect()}.
   *
   * @return completes once the connection is closed
   */
  public CompletableFuture<Void> disconnect() {
    return connection.disconnect();
  }

  /**
   * {@link #disconnect()} and wait for it, at most 5 s; when it returns, the callbacks of what it ended (a pending
   * {@code connect()} failing, the close listeners) have run. May be called from a callback (it then waits for the
   * close only).
   */
  @Override
  public void close() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    try {
      connection.disconnectInternally().get(5, TimeUnit.SECONDS);
      if (!connection.inCallback()) {
        connection.callbacksDone().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception notClosedInTime) {
      // the transport was told to close; nothing else to wait for
    }
  }

  /**
   * Whether the connection is open now.
   *
   * @return true when open
   */
  public boolean isConnected() {
    return connection.isOpen();
  }

  /**
   * The transport in use, or last used.
   *
   * @return {@code "websocket"} or {@code "longpoll"} (or a custom transport's name)
   */
  public String transportName() {
    return connection.transportName();
  }

  /**
   * Calls back on every open.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onOpen(Runnable callback) {
    return connection.onOpen(callback);
  }

  /**
   * Calls back on every close.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onClose(Consumer<CloseEvent> callback) {
    return connection.onClose(callback);
  }

  /**
   * Calls back on transport errors, malformed server frames and callbacks that threw.
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onError(Consumer<Throwable> callback) {
    return connection.onError(callback);
  }

  /**
   * Calls back for every message received, of any topic (replies included).
   *
   * @param callback the callback
   * @return removes it
   */
  public Subscription onMessage(Consumer<Message> callback) {
    return connection.onMessage(callback);
  }

  /**
   * A channel of a topic, without join params. Each call makes a new channel (as in phoenix.js).
   *
   * @param topic the topic
   * @return the channel, not joined yet
   */
  public Channel channel(String topic) {
    return channel(topic, Map::of);
  }

  /**
   * A channel of a topic with join params, read on every join and rejoin.
   *
   * @param topic the topic
   * @param params supplies the join payload
   * @return the channel, not joined yet
   */
  public Channel channel(String topic, Supplier<? extends Map<String, ?>> params) {
    return connection.channel(Objects.requireNonNull(topic, "topic"), Objects.requireNonNull(params, "params"));
  }

  /** Builds a {@link Socket}. Not thread-safe; every option has a default. */
  public static final class Builder {
    final URI endpoint;
    Supplier<? extends Map<String, ?>> params = Map::of;
    Supplier<String> authToken;
    Map<String, String> headers = Map.of();
    Protocol protocol = Protocol.V2;
    TransportFactory transport;
    Duration longPollFallback;
    Duration heartbeatInterval = Duration.ofSeconds(30);
    Duration timeout = Duration.ofSeconds(10);
    Backoff reconnectBackoff = Backoff.exponential(Duration.ofMillis(10), Duration.ofSeconds(5));
    Backoff rejoinBackoff = Backoff.exponential(Duration.ofSeconds(1), Duration.ofSeconds(10));
    Executor callbackExecutor;
    HttpClient httpClient;
    JsonMapper jsonMapper;

    private Builder(URI endpoint) {
      this.endpoint = endpoint;
    }

    /**
     * Query params, read again on every connect and reconnect (e.g. a token that is refreshed).
     *
     * @param params supplies the params; values are turned into strings
     * @return this builder
     */
    public Builder params(Supplier<? extends Map<String, ?>> params) {
      this.params = Objects.requireNonNull(params, "params");
      return this;
    }

    /**
     * Fixed query params.
     *
     * @param params the params; values are turned into strings
     * @return this builder
     */
    public Builder params(Map<String, ?> params) {
      Map<String, ?> copy = Map.copyOf(params);
      return params(() -> copy);
    }

    /**
     * An auth token, read on every connect: sent as the {@code base64url.bearer.phx.<token>} WebSocket subprotocol
     * (beside {@code phoenix}), or the {@code X-Phoenix-AuthToken} header on long-poll.
     *
     * @param token supplies the token; null or empty sends none
     * @return this builder
     */
    public Builder authToken(Supplier<String> token) {
      this.authToken = token;
      return this;
    }

    /**
     * Extra headers for the WebSocket handshake and long-poll requests (e.g. {@code Origin}).
     *
     * @param headers the headers
     * @return this builder
     */
    public Builder headers(Map<String, String> headers) {
      this.headers = Map.copyOf(headers);
      return this;
    }

    /**
     * The protocol version; {@link Protocol#V2} by default.
     *
     * @param protocol the protocol
     * @return this builder
     */
    public Builder protocol(Protocol protocol) {
      this.protocol = Objects.requireNonNull(protocol, "protocol");
      return this;
    }

    /**
     * The transport; {@link Transports#webSocket(HttpClient)} on the socket's client by default.
     *
     * @param factory the transport factory
     * @return this builder
     */
    public Builder transport(TransportFactory factory) {
      this.transport = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /**
     * Falls back to long-poll when the WebSocket has not opened within {@code after} (or failed before it ever
     * opened), and keeps long-poll from then on. Off by default.
     *
     * @param after how long to wait for the first WebSocket open
     * @return this builder
     */
    public Builder longPollFallback(Duration after) {
      this.longPollFallback = after;
      return this;
    }

    /**
     * How often to send a heartbeat; 30 s by default. A heartbeat still unanswered when the next one is due
     * closes the connection ("heartbeat timeout"), which then reconnects.
     *
     * @param interval the interval
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * How long joins, pushes and leaves wait for their reply; 10 s by default.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * The delay before each reconnect; exponential from 10 ms to 5 s with full jitter by default.
     *
     * @param backoff the backoff
     * @return this builder
     */
    public Builder reconnectBackoff(Backoff backoff) {
      this.reconnectBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * The delay before a channel rejoins after an error or a timeout; exponential from 1 s to 10 s with full
     * jitter by default.
     *
     * @param backoff the backoff
     * @return this builder
     */
    public Builder rejoinBackoff(Backoff backoff) {
      this.rejoinBackoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /**
     * Where user callbacks (listeners, handlers, future completions) run. By default one serial executor per
     * socket on a shared pool of daemon threads, so that a socket's callbacks never run concurrently and always in
     * order. A custom executor should be serial too if handlers expect order.
     *
     * @param executor the executor
     * @return this builder
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * The HTTP client of the built-in transports; a new one per socket by default.
     *
     * @param client the client
     * @return this builder
     */
    public Builder httpClient(HttpClient client) {
      this.httpClient = Objects.requireNonNull(client, "client");
      return this;
    }

    /**
     * The mapper for payloads (both ways); a plain {@link JsonMapper} by default.
     *
     * @param mapper the mapper
     * @return this builder
     */
    public Builder jsonMapper(JsonMapper mapper) {
      this.jsonMapper = Objects.requireNonNull(mapper, "mapper");
      return this;
    }

    /**
     * Builds the socket; it does not connect until {@link Socket#connect()}.
     *
     * @return the socket
     */
    public Socket build() {
      return new Socket(this);
    }
  }
}
