package dev.cinder.endpoint;

import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.PubSub;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.http.HttpHandler;
import dev.cinder.http.HttpRoutes;
import dev.cinder.http.RouteOptions;
import dev.cinder.internal.netty.HttpServer;
import dev.cinder.internal.netty.drain.DrainPlan;
import dev.cinder.internal.netty.drain.DrainProgress;
import dev.cinder.internal.netty.http.HttpLimits;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.token.PhoenixToken;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Starts everything an application serves: the HTTP server, its socket mounts, its routes and its PubSub.
 * Broadcast and subscribe from anywhere through {@link #broadcast} and {@link #pubSub()}.
 *
 * <pre>{@code
 * Endpoint endpoint = Endpoint.builder().port(4000).secretKeyBase(secret)
 *     .socket("/socket", new UserSocket(), SocketOptions.defaults())
 *     .build().start();
 * }</pre>
 */
public final class Endpoint implements AutoCloseable {
  private final String host;
  private final int port;
  private final PubSub pubSub;
  private final Telemetry telemetry;
  private final PhoenixToken token;
  private final List<SocketMount> mounts;
  private final HttpRoutes routes;
  private final int ioThreads;
  private final IoTransport ioTransport;
  private final HttpOptions httpOptions;
  private final DrainOptions drainOptions;
  private HttpServer server;
  private boolean closed;
  private LongPollSessions longPollSessions;
  private InetSocketAddress address;

  private Endpoint(Builder b) {
    this.host = b.host;
    this.port = b.port;
    this.telemetry = b.telemetry;
    this.pubSub = b.pubSub != null ? b.pubSub : new LocalPubSub(telemetry);
    this.token = PhoenixToken.forSecret(Objects.requireNonNull(b.secretKeyBase, "secretKeyBase is required"));
    this.mounts = b.sockets.stream().map(s -> new SocketMount(s.path, s.handler, s.options, pubSub, telemetry)).toList();
    this.routes = b.routes;
    this.ioThreads = b.ioThreads;
    this.ioTransport = b.ioTransport;
    this.httpOptions = b.httpOptions;
    this.drainOptions = b.drainOptions;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the port and starts serving. */
  public synchronized Endpoint start() {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    server = new HttpServer(ioThreads, HttpServer.Transport.valueOf(ioTransport.name()));
    java.time.Duration sweep = mounts.stream().map(m -> m.options().longPollWindow().dividedBy(2))
        .min(java.util.Comparator.naturalOrder()).orElse(java.time.Duration.ofSeconds(1));
    longPollSessions = new LongPollSessions(token, sweep, pubSub);
    try {
      address = server.start(host, port, mounts, routes, longPollSessions, limits(httpOptions), telemetry);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while binding", e);
    } catch (Exception e) {
      // Netty reports a taken port as an undeclared IOException: stop the event loops either way.
      server.stop();
      server = null;
      longPollSessions.close();
      throw e instanceof RuntimeException r ? r : new IllegalStateException("cannot bind " + host + ":" + port, e);
    }
    return this;
  }

  /** The I/O transport in use. */
  public IoTransport ioTransport() {
    return IoTransport.valueOf(server.transport().name());
  }

  /** The bound port (useful with {@code port(0)}). */
  public int port() {
    return address.getPort();
  }

  public PubSub pubSub() {
    return pubSub;
  }

  /** Framework events and counters; add listeners (e.g. the Micrometer binder) here. */
  public Telemetry telemetry() {
    return telemetry;
  }

  /** Signs and verifies Phoenix.Token tokens with this endpoint's secret key base. */
  public PhoenixToken token() {
    return token;
  }

  /** Broadcasts from outside any channel, to every subscriber of the topic on every node. */
  public void broadcast(String topic, String event, Object payload) {
    pubSub.broadcast(topic, event, payload);
  }

  /**
   * Stops serving with a drain ({@link DrainOptions}, set on the builder): the listening socket closes first;
   * then the open sockets are closed in batches, WebSockets with 1012 ("service restart": the official client
   * reconnects, behind a load balancer to another node) after what was already queued for them, long-poll
   * sessions ended (the client's next request gets 410 and it reconnects); meanwhile new WebSocket upgrades
   * and long-poll sessions on kept-alive connections get 503. Returns once every socket's channels have ended
   * ({@code terminate} and presence untracks done), or after {@link DrainOptions#shutdown()} at most. Close the
   * application's PubSub and Presence after this, so that the leaves reach the other nodes.
   */
  @Override
  public void close() {
    HttpServer running;
    synchronized (this) {
      if (server == null || closed) {
        return;
      }
      closed = true;
      running = server;
    }
    running.drain(new DrainPlan(drainOptions.batchSize(), drainOptions.batchInterval(), drainOptions.shutdown()));
    longPollSessions.close();
  }

  /**
   * Whether this endpoint serves, drains or has stopped, and how many sockets are left: for a readiness check,
   * which should fail as soon as the drain begins.
   */
  public DrainStatus drainStatus() {
    HttpServer running;
    synchronized (this) {
      running = server;
    }
    if (running == null) {
      return new DrainStatus(DrainStatus.Phase.STOPPED, 0, 0);
    }
    DrainProgress progress = running.drainStatus();
    return new DrainStatus(DrainStatus.Phase.valueOf(progress.phase().name()), progress.socketsLeft(),
        progress.batchesSent());
  }

  /** The number of live long-poll sessions. */
  public int longPollSessionCount() {
    return longPollSessions.size();
  }

  /**
   * Bytes of HTTP request bodies taken and not yet answered, over all connections: what
   * {@link HttpOptions#maxBodyBytesInFlight()} bounds.
   */
  public long httpBodyBytesInFlight() {
    return server.bodyBytesInFlight();
  }

  /** Long-poll requests this node forwarded to the node holding their session and still awaits answers for. */
  public int longPollForwardedCount() {
    return longPollSessions.forwardedPending();
  }

  /** The HTTP server's copy of the options. */
  private static HttpLimits limits(HttpOptions o) {
    return new HttpLimits(o.headerTimeout(), o.bodyTimeout(), o.keepAliveTimeout(), o.maxBodySize(),
        o.maxLongPollBodySize(), o.maxBodyBytesInFlight(), o.maxRequestLineLength(), o.maxHeaderSize(),
        o.maxPipelinedRequests());
  }

  /** Builds an {@link Endpoint}; {@code secretKeyBase} is required. */
  public static final class Builder {
    private record Socket(String path, SocketHandler handler, SocketOptions options) {}

    private String host = "0.0.0.0";
    private int port = 4000;
    private String secretKeyBase;
    private PubSub pubSub;
    private Telemetry telemetry = new Telemetry();
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    // -Dcinder.ioTransport=IO_URING (or EPOLL, NIO) picks the transport without a code change, e.g. in benchmarks.
    private IoTransport ioTransport = IoTransport.valueOf(System.getProperty("cinder.ioTransport", "AUTO"));
    private final List<Socket> sockets = new ArrayList<>();
    private final HttpRoutes routes = new HttpRoutes();
    private HttpOptions httpOptions = HttpOptions.defaults();
    private DrainOptions drainOptions = DrainOptions.defaults();

    public Builder host(String value) {
      this.host = value;
      return this;
    }

    /** The port; 0 picks a free one. */
    public Builder port(int value) {
      this.port = value;
      return this;
    }

    public Builder secretKeyBase(String value) {
      this.secretKeyBase = value;
      return this;
    }

    /**
     * The PubSub (default: a local one). Create it with the same telemetry, e.g.
     * {@code new LocalPubSub(telemetry)}, to have its broadcasts counted.
     */
    public Builder pubSub(PubSub value) {
      this.pubSub = Objects.requireNonNull(value);
      return this;
    }

    public Builder telemetry(Telemetry value) {
      this.telemetry = Objects.requireNonNull(value);
      return this;
    }

    /** The I/O transport; by default {@link IoTransport#AUTO} (see docs/benchmarks.md for the comparison). */
    public Builder ioTransport(IoTransport value) {
      this.ioTransport = Objects.requireNonNull(value);
      return this;
    }

    public Builder ioThreads(int value) {
      this.ioThreads = value;
      return this;
    }

    /** Limits and timeouts of the HTTP server (default {@link HttpOptions#defaults()}). */
    public Builder http(HttpOptions value) {
      this.httpOptions = Objects.requireNonNull(value);
      return this;
    }

    /** How {@link Endpoint#close()} drains the sockets (default {@link DrainOptions#defaults()}: Phoenix's). */
    public Builder drain(DrainOptions value) {
      this.drainOptions = Objects.requireNonNull(value);
      return this;
    }

    /** Mounts a socket: WebSocket at {@code path + "/websocket"}, long-poll at {@code path + "/longpoll"} if enabled. */
    public Builder socket(String path, SocketHandler handler, SocketOptions options) {
      if (!path.startsWith("/") || path.endsWith("/")) {
        throw new IllegalArgumentException("a socket path starts with / and does not end with /: " + path);
      }
      sockets.add(new Socket(path, handler, options));
      return this;
    }

    public Builder get(String path, HttpHandler handler) {
      return get(path, handler, RouteOptions.defaults());
    }

    /** A GET route with its own body limit or guard. */
    public Builder get(String path, HttpHandler handler, RouteOptions options) {
      routes.add("GET", path, handler, options);
      return this;
    }

    public Builder post(String path, HttpHandler handler) {
      return post(path, handler, RouteOptions.defaults());
    }

    /** A POST route with its own body limit or guard, e.g. an admin API behind a bearer token. */
    public Builder post(String path, HttpHandler handler, RouteOptions options) {
      routes.add("POST", path, handler, options);
      return this;
    }

    public Endpoint build() {
      return new Endpoint(this);
    }
  }
}
