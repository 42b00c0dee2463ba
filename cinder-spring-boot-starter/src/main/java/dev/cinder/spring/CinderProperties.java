package dev.cinder.spring;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.endpoint.IoTransport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The {@code cinder.*} properties: where Cinder's own server listens, its secret, its socket mount with its limits,
 * its HTTP limits, its drain and its PubSub. Each limit is the Cinder option of the same name
 * ({@code cinder.socket.max-frame-size} is {@code SocketOptions.maxFrameSize}), with the same default; sizes take
 * Spring's units ({@code 512KB}, {@code 1MB}: binary, 1KB = 1024 bytes), durations too ({@code 30s}, {@code 500ms}).
 *
 * @param host the address Cinder's server binds
 * @param port Cinder's own port, beside the application's web server (0 picks a free one)
 * @param secretKeyBase the secret that signs tokens, at least 20 bytes; required
 * @param nodeName this node's name in the cluster; empty generates one (host name plus a random suffix)
 * @param ioThreads Netty I/O threads of Cinder's server; unset, one per processor
 * @param ioTransport Netty's I/O transport (auto: epoll on Linux, else NIO)
 * @param socket the socket mount and the limits of each connection
 * @param http the limits of Cinder's HTTP server (the WebSocket handshake, long-poll, its own routes)
 * @param drain how the sockets are closed when the application stops
 * @param pubsub how broadcasts reach the other nodes
 */
@ConfigurationProperties("cinder")
public record CinderProperties(
    @DefaultValue("0.0.0.0") String host,
    @DefaultValue("4000") int port,
    String secretKeyBase,
    String nodeName,
    Integer ioThreads,
    IoTransport ioTransport,
    @DefaultValue Socket socket,
    @DefaultValue Http http,
    @DefaultValue Drain drain,
    @DefaultValue PubSub pubsub) {

  /** Cinder's own minimum for the secret key base, in bytes of UTF-8. */
  static final int MIN_SECRET_BYTES = 20;

  /** Checks what Cinder would refuse later, so that the application fails at startup with the property's name. */
  public CinderProperties {
    if (secretKeyBase == null || secretKeyBase.isBlank()) {
      throw new IllegalArgumentException("cinder.secret-key-base is required: set it to a random secret of at least "
          + MIN_SECRET_BYTES + " bytes (e.g. the output of `openssl rand -base64 48`), the same on every node");
    }
    if (secretKeyBase.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
      throw new IllegalArgumentException("cinder.secret-key-base is too short: Cinder needs at least "
          + MIN_SECRET_BYTES + " bytes");
    }
    if (port < 0 || port > 65_535) {
      throw new IllegalArgumentException("cinder.port must be between 0 and 65535, got " + port);
    }
    if (ioThreads != null && ioThreads < 1) {
      throw new IllegalArgumentException("cinder.io-threads must be at least 1, got " + ioThreads);
    }
  }

  /**
   * The socket mount: WebSocket at {@code path + "/websocket"}, long-poll at {@code path + "/longpoll"}.
   *
   * @param path where the socket is mounted
   * @param idleTimeout a WebSocket whose client sends nothing for this long is closed with 1001; the official
   *     client's heartbeat (every 30 s) keeps it open
   * @param checkOrigin the browser origins allowed to connect, e.g. {@code https://example.com} or
   *     {@code //*.example.com}; empty allows any; a refused origin gets HTTP 403
   * @param websocket whether the WebSocket transport is on
   * @param longPoll whether the long-poll transport is on
   * @param authToken whether the token the official client's {@code authToken} option sends (in
   *     {@code Sec-WebSocket-Protocol}, or a header on long-poll) is accepted
   * @param compress whether WebSocket messages are compressed (permessage-deflate) when the client offers it
   * @param maxChannels how many channels one connection may join; the next join is refused with
   *     {@code "too many channels joined"}
   * @param maxFrameSize the largest message a client may send, whole and inflated; a larger one closes the
   *     connection with 1009
   * @param maxQueuedBytes output a connection may have queued for a slow client before the slow-consumer policy
   *     applies
   * @param slowConsumerPolicy close (with 1013; the official client reconnects) or drop what does not fit
   * @param inboundRate messages per second a connection may send, sustained; a client over it is closed with
   *     1008
   * @param inboundBurst messages a connection may send at once on top of the rate
   * @param maxPendingPushes client pushes one channel may hold waiting; the next is answered
   *     {@code "overloaded"} at once
   * @param inlinePushLimit how long a push's {@code handleIn} may take and still run on the I/O thread; 0 runs
   *     every push on its channel's virtual thread
   * @param longPollWindow how long a long-poll GET waits for messages; a session not polled for 1.5 windows ends
   * @param maxLongPollSessionsPerId long-poll sessions with the same socket id; past it the handshake is refused
   *     (403)
   * @param maxLongPollSessionsPerAddress long-poll sessions from one client address (IPv6: per /64); behind a
   *     reverse proxy every client has its address, raise it
   * @param maxLongPollSessions long-poll sessions of the mount in all
   */
  public record Socket(
      @DefaultValue("/socket") String path,
      @DefaultValue("60s") Duration idleTimeout,
      @DefaultValue List<String> checkOrigin,
      @DefaultValue("true") boolean websocket,
      @DefaultValue("false") boolean longPoll,
      @DefaultValue("true") boolean authToken,
      @DefaultValue("false") boolean compress,
      @DefaultValue("100") int maxChannels,
      @DefaultValue("1MB") DataSize maxFrameSize,
      @DefaultValue("4MB") DataSize maxQueuedBytes,
      @DefaultValue("close") SlowConsumerPolicy slowConsumerPolicy,
      @DefaultValue("100") int inboundRate,
      @DefaultValue("500") int inboundBurst,
      @DefaultValue("1000") int maxPendingPushes,
      @DefaultValue("1ms") Duration inlinePushLimit,
      @DefaultValue("10s") Duration longPollWindow,
      @DefaultValue("20") int maxLongPollSessionsPerId,
      @DefaultValue("1000") int maxLongPollSessionsPerAddress,
      @DefaultValue("100000") int maxLongPollSessions) {

    /** The mount's path is checked here; the limits are checked by Cinder's own setters when the endpoint is built. */
    public Socket {
      if (path == null || !path.startsWith("/") || path.endsWith("/")) {
        throw new IllegalArgumentException("cinder.socket.path must start with / and not end with /, got " + path);
      }
    }
  }

  /**
   * Cinder's HTTP server: every limit is decided from the request line and headers where it can be.
   *
   * @param headerTimeout how long a request's line and headers may take to arrive; then 408 and close
   * @param bodyTimeout how long a request's whole body may take once its headers are in; then 408 and close
   * @param keepAliveTimeout how long an idle kept-alive connection waits for its next request
   * @param maxBodySize the largest body of one of the endpoint's own routes; 413 and close past it
   * @param maxLongPollBodySize the largest long-poll POST body; 413 and close past it
   * @param maxBodyBytesInFlight request bodies not yet answered, over all connections; a request that does not
   *     fit gets 503 with {@code Retry-After}
   * @param maxRequestLineLength the longest request line; 414 and close
   * @param maxHeaderSize the most bytes of header lines; 431 and close
   * @param maxPipelinedRequests requests one connection may have in flight when its client pipelines them
   */
  public record Http(
      @DefaultValue("10s") Duration headerTimeout,
      @DefaultValue("30s") Duration bodyTimeout,
      @DefaultValue("60s") Duration keepAliveTimeout,
      @DefaultValue("64KB") DataSize maxBodySize,
      @DefaultValue("8000000B") DataSize maxLongPollBodySize,
      @DefaultValue("64MB") DataSize maxBodyBytesInFlight,
      @DefaultValue("4KB") DataSize maxRequestLineLength,
      @DefaultValue("8KB") DataSize maxHeaderSize,
      @DefaultValue("128") int maxPipelinedRequests) {}

  /**
   * The drain when the application stops: no new connections, the open sockets closed in batches (WebSockets
   * with 1012, so the official client reconnects at once), then a wait until every channel has ended.
   *
   * @param batchSize how many sockets one batch closes
   * @param batchInterval the pause between two batches; 0 closes every batch at once
   * @param shutdown the longest the whole drain may take; what is left then is closed at once. Give the process
   *     longer than this to stop
   */
  public record Drain(
      @DefaultValue("10000") int batchSize,
      @DefaultValue("2s") Duration batchInterval,
      @DefaultValue("30s") Duration shutdown) {}

  /**
   * The PubSub.
   *
   * @param type local (one node) or redis (a cluster of nodes sharing a Redis)
   * @param redis the Redis settings, used with type redis
   */
  public record PubSub(@DefaultValue("local") Type type, @DefaultValue Redis redis) {}

  /** Which PubSub carries broadcasts. */
  public enum Type {
    /** This node only. */
    LOCAL,
    /** Every node sharing a Redis (needs {@code dev.cinder:cinder-redis}). */
    REDIS
  }

  /**
   * Redis for the PubSub.
   *
   * @param url e.g. {@code redis://localhost:6379}; unset falls back to {@code spring.data.redis.url}, then to
   *     {@code spring.data.redis.host} and {@code spring.data.redis.port}
   */
  public record Redis(String url) {}
}
