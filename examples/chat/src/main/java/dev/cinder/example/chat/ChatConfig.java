package dev.cinder.example.chat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The example's configuration, read from environment variables (listed in the README). Missing secrets are
 * generated, with a warning.
 *
 * @param rateLimit {@code RATE_LIMIT}: {@code new_msg} per user per room (default 10 per 5 s)
 * @param databaseUrl {@code DATABASE_URL}, or null for the H2 file under {@code ./data/} (see {@link DatabaseUrl})
 * @param cluster how this node reaches the others ({@code PUBSUB}, {@code REDIS_URL}, {@code NODE_NAME})
 * @param typingLimit {@code TYPING_RATE_LIMIT}: {@code typing} per user per room (default 50 per 5 s); over it the
 *     event is dropped without an answer
 * @param statusLimit {@code STATUS_RATE_LIMIT}: {@code update_status} per user per room (default 10 per 5 s); over it
 *     the push is answered with an error reply {@code rate_limited} and the status stays
 * @param inboundLimit {@code INBOUND_LIMIT}: messages of any kind per connection (default 500 per 5 s: bursts of 500,
 *     100 a second sustained); over it the connection is closed with 1008 (see {@code SocketOptions.inboundRate})
 */
public record ChatConfig(
    int port,
    String secretKeyBase,
    String adminToken,
    List<String> allowedOrigins,
    Duration socketTimeout,
    RateLimitSetting rateLimit,
    String databaseUrl,
    ClusterSetting cluster,
    RateLimitSetting typingLimit,
    RateLimitSetting statusLimit,
    RateLimitSetting inboundLimit) {

  private static final Logger log = LoggerFactory.getLogger(ChatConfig.class);
  static final RateLimitSetting DEFAULT_RATE_LIMIT = new RateLimitSetting(10, Duration.ofSeconds(5));
  /** Far above people typing (the page sends about one {@code typing} a second at most), far below a flood. */
  static final RateLimitSetting DEFAULT_TYPING_LIMIT = new RateLimitSetting(50, Duration.ofSeconds(5));
  /** Each status change is a presence_diff to everyone in the room, on every node. */
  static final RateLimitSetting DEFAULT_STATUS_LIMIT = new RateLimitSetting(10, Duration.ofSeconds(5));
  /** The framework's default: bursts of 500, 100 a second sustained. */
  static final RateLimitSetting DEFAULT_INBOUND_LIMIT = new RateLimitSetting(500, Duration.ofSeconds(5));

  /** With the default limits for {@code typing} and {@code update_status}. */
  public ChatConfig(int port, String secretKeyBase, String adminToken, List<String> allowedOrigins, Duration socketTimeout,
      RateLimitSetting rateLimit, String databaseUrl, ClusterSetting cluster) {
    this(port, secretKeyBase, adminToken, allowedOrigins, socketTimeout, rateLimit, databaseUrl, cluster,
        DEFAULT_TYPING_LIMIT, DEFAULT_STATUS_LIMIT, DEFAULT_INBOUND_LIMIT);
  }

  /** This configuration with other limits for {@code typing} and {@code update_status}. */
  public ChatConfig withEventLimits(RateLimitSetting typing, RateLimitSetting status) {
    return new ChatConfig(port, secretKeyBase, adminToken, allowedOrigins, socketTimeout, rateLimit, databaseUrl, cluster,
        typing, status, inboundLimit);
  }


  /** {@code COUNT/WINDOW_MS}, e.g. {@code 10/5000}: at most COUNT events per user per room per window. */
  public record RateLimitSetting(int count, Duration window) {
    public RateLimitSetting {
      if (count < 1 || window.toMillis() < 1) {
        throw new IllegalArgumentException("a rate limit needs a COUNT and a WINDOW_MS of at least 1");
      }
    }

    /** The count spread over the window, per second, at least 1 (e.g. the sustained rate of the inbound limit). */
    public int perSecond() {
      return (int) Math.max(1, Math.ceil(count * 1000.0 / window.toMillis()));
    }

    /** The value of the environment variable {@code name}, or {@code fallback} when it is unset. */
    static RateLimitSetting parse(Map<String, String> env, String name, RateLimitSetting fallback) {
      String text = env.get(name);
      if (text == null || text.isBlank()) {
        return fallback;
      }
      try {
        return parse(text);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(name + " " + e.getMessage(), e);
      }
    }

    /** {@code COUNT/WINDOW_MS}; anything else is refused with a message that shows the expected form. */
    public static RateLimitSetting parse(String text) {
      String[] parts = text.split("/", -1);
      try {
        if (parts.length == 2) {
          int count = Integer.parseInt(parts[0].trim());
          long window = Long.parseLong(parts[1].trim());
          if (count >= 1 && window >= 1) {
            return new RateLimitSetting(count, Duration.ofMillis(window));
          }
        }
      } catch (NumberFormatException e) {
        // reported below with the expected form
      }
      throw new IllegalArgumentException("must look like COUNT/WINDOW_MS with both at least 1 (e.g. 10/5000), got " + text);
    }
  }

  /**
   * {@code PUBSUB} ({@code local} or {@code redis}), {@code REDIS_URL}, {@code NODE_NAME}, and how long a silent
   * node stays in presence lists ({@code PRESENCE_DOWN_MS}, default 20 s: its users leave everywhere within 30 s).
   * {@code REDIS_URL} is any URL {@link dev.cinder.redis.RedisPubSubOptions} takes: one Redis ({@code redis://},
   * {@code rediss://}), Sentinel ({@code redis-sentinel://}) or a Redis Cluster ({@code redis-cluster://host:port,…},
   * sharded pub/sub).
   */
  public record ClusterSetting(boolean redis, String redisUrl, String nodeName, Duration presenceDownPeriod) {
    public static ClusterSetting local() {
      return new ClusterSetting(false, null, dev.cinder.pubsub.NodeNames.generate(), Duration.ofSeconds(20));
    }

    static ClusterSetting parse(Map<String, String> env) {
      String kind = env.getOrDefault("PUBSUB", "local").trim().toLowerCase(java.util.Locale.ROOT);
      if (!kind.equals("local") && !kind.equals("redis")) {
        throw new IllegalArgumentException("PUBSUB must be local or redis, got " + kind);
      }
      String node = env.get("NODE_NAME");
      if (node == null || node.isBlank()) {
        node = dev.cinder.pubsub.NodeNames.generate();
      }
      Duration down = Duration.ofMillis(number(env, "PRESENCE_DOWN_MS", 20_000, 100, Integer.MAX_VALUE));
      return new ClusterSetting(kind.equals("redis"), env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"), node, down);
    }

    /** {@code REDIS_URL} without its password, for messages. */
    String redactedRedisUrl() {
      return redisUrl == null ? null : redisUrl.replaceFirst("//[^@/]*@", "//***@");
    }
  }

  public static ChatConfig fromEnvironment(Map<String, String> env) {
    int port = (int) number(env, "PORT", 4000, 0, 65_535);
    String secret = env.get("SECRET_KEY_BASE");
    if (secret == null || secret.isBlank()) {
      secret = randomHex(32);
      log.warn("SECRET_KEY_BASE is not set: generated one; tokens will not survive a restart");
    } else if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("SECRET_KEY_BASE must be at least 32 bytes (e.g. the output of openssl rand -hex 32)");
    }
    String admin = env.get("ADMIN_TOKEN");
    if (admin == null || admin.isBlank()) {
      admin = randomHex(16);
      log.warn("ADMIN_TOKEN is not set: generated one for this run: {}", admin);
    }
    String origins = env.get("ALLOWED_ORIGINS");
    List<String> allowed = origins == null || origins.isBlank()
        ? List.of("http://localhost:" + port, "http://127.0.0.1:" + port)
        : Arrays.stream(origins.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    Duration timeout = Duration.ofMillis(number(env, "SOCKET_TIMEOUT_MS", 60_000, 1, Integer.MAX_VALUE));
    RateLimitSetting rate = RateLimitSetting.parse(env, "RATE_LIMIT", DEFAULT_RATE_LIMIT);
    RateLimitSetting typing = RateLimitSetting.parse(env, "TYPING_RATE_LIMIT", DEFAULT_TYPING_LIMIT);
    RateLimitSetting status = RateLimitSetting.parse(env, "STATUS_RATE_LIMIT", DEFAULT_STATUS_LIMIT);
    RateLimitSetting inbound = RateLimitSetting.parse(env, "INBOUND_LIMIT", DEFAULT_INBOUND_LIMIT);
    return new ChatConfig(port, secret, admin, allowed, timeout, rate, env.get("DATABASE_URL"), ClusterSetting.parse(env),
        typing, status, inbound);
  }

  /** The whole number in {@code name}, {@code fallback} when unset; anything else is refused naming the variable. */
  static long number(Map<String, String> env, String name, long fallback, long min, long max) {
    String text = env.get(name);
    if (text == null || text.isBlank()) {
      return fallback;
    }
    try {
      long value = Long.parseLong(text.trim());
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below with the expected range
    }
    throw new IllegalArgumentException(name + " must be a whole number from " + min + " to " + max + ", got " + text);
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
