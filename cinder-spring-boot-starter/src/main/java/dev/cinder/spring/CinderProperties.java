package dev.cinder.spring;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code cinder.*} properties: where Cinder's own server listens, its secret, its socket mount and its PubSub.
 *
 * @param host the address Cinder's server binds
 * @param port Cinder's own port, beside the application's web server (0 picks a free one)
 * @param secretKeyBase the secret that signs tokens, at least 20 bytes; required
 * @param nodeName this node's name in the cluster; empty generates one (host name plus a random suffix)
 * @param socket the socket mount
 * @param pubsub how broadcasts reach the other nodes
 */
@ConfigurationProperties("cinder")
public record CinderProperties(
    @DefaultValue("0.0.0.0") String host,
    @DefaultValue("4000") int port,
    String secretKeyBase,
    String nodeName,
    @DefaultValue Socket socket,
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
  }

  /**
   * The socket mount: WebSocket at {@code path + "/websocket"}, long-poll at {@code path + "/longpoll"}.
   *
   * @param path where the socket is mounted
   * @param idleTimeout how long a connection may stay silent before it is closed; unset keeps Cinder's (60 s)
   * @param checkOrigin the browser origins allowed to connect, e.g. {@code https://example.com} or
   *     {@code //*.example.com}; empty allows any
   * @param longPoll whether the long-poll transport is on
   * @param maxChannels how many channels one connection may join; unset keeps Cinder's (100)
   */
  public record Socket(
      @DefaultValue("/socket") String path,
      Duration idleTimeout,
      @DefaultValue List<String> checkOrigin,
      @DefaultValue("false") boolean longPoll,
      Integer maxChannels) {}

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
