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
 * The example's configuration, read from environment variables (see the contract in
 * shared/spec/example-chat.md). Missing secrets are generated, with a warning.
 *
 * @param databaseUrl {@code DATABASE_URL}, or null for the H2 file under {@code ./data/} (see {@link DatabaseUrl})
 * @param cluster how this node reaches the others ({@code PUBSUB}, {@code REDIS_URL}, {@code NODE_NAME})
 */
public record ChatConfig(
    int port,
    String secretKeyBase,
    String adminToken,
    List<String> allowedOrigins,
    Duration socketTimeout,
    RateLimitSetting rateLimit,
    String databaseUrl,
    ClusterSetting cluster) {

  private static final Logger log = LoggerFactory.getLogger(ChatConfig.class);

  /** {@code COUNT/WINDOW_MS}, e.g. {@code 10/5000}: at most COUNT {@code new_msg} per user per room per window. */
  public record RateLimitSetting(int count, Duration window) {
    public RateLimitSetting {
      if (count < 1 || window.toMillis() < 1) {
        throw new IllegalArgumentException("RATE_LIMIT needs a COUNT and a WINDOW_MS of at least 1");
      }
    }

    static RateLimitSetting parse(String text) {
      String[] parts = text.split("/", -1);
      try {
        if (parts.length == 2) {
          return new RateLimitSetting(Integer.parseInt(parts[0].trim()), Duration.ofMillis(Long.parseLong(parts[1].trim())));
        }
      } catch (NumberFormatException e) {
        // reported below with the expected form
      }
      throw new IllegalArgumentException("RATE_LIMIT must look like COUNT/WINDOW_MS (e.g. 10/5000), got " + text);
    }
  }

  /**
   * {@code PUBSUB} ({@code local} or {@code redis}), {@code REDIS_URL}, {@code NODE_NAME}, and how long a silent
   * node stays in presence lists ({@code PRESENCE_DOWN_MS}, default 20 s: its users leave everywhere within 30 s).
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
      Duration down = Duration.ofMillis(Long.parseLong(env.getOrDefault("PRESENCE_DOWN_MS", "20000")));
      if (down.toMillis() < 100) {
        throw new IllegalArgumentException("PRESENCE_DOWN_MS must be at least 100");
      }
      return new ClusterSetting(kind.equals("redis"), env.getOrDefault("REDIS_URL", "redis://127.0.0.1:6379"), node, down);
    }
  }

  public static ChatConfig fromEnvironment(Map<String, String> env) {
    int port = Integer.parseInt(env.getOrDefault("PORT", "4000"));
    String secret = env.get("SECRET_KEY_BASE");
    if (secret == null || secret.isBlank()) {
      secret = randomHex(32);
      log.warn("SECRET_KEY_BASE is not set: generated one; tokens will not survive a restart");
    } else if (secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 32) {
      throw new IllegalArgumentException("SECRET_KEY_BASE must be at least 32 bytes");
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
    Duration timeout = Duration.ofMillis(Long.parseLong(env.getOrDefault("SOCKET_TIMEOUT_MS", "60000")));
    RateLimitSetting rate = RateLimitSetting.parse(env.getOrDefault("RATE_LIMIT", "10/5000"));
    return new ChatConfig(port, secret, admin, allowed, timeout, rate, env.get("DATABASE_URL"), ClusterSetting.parse(env));
  }

  private static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
