package dev.cinder.example.springchat;

import dev.cinder.example.chat.ChatConfig.RateLimitSetting;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code chat.*} properties: what the example adds to Cinder's own {@code cinder.*} ({@code application.yml}
 * maps the environment variables onto both). Each budget is {@code COUNT/WINDOW_MS} per user per room
 * ({@code inboundLimit}: per connection, any message).
 *
 * @param adminToken the bearer token of the admin HTTP API ({@code ADMIN_TOKEN}; generated when unset)
 * @param rateLimit {@code new_msg} ({@code RATE_LIMIT})
 * @param typingRateLimit {@code typing}, dropped silently over it ({@code TYPING_RATE_LIMIT})
 * @param statusRateLimit {@code update_status}, refused over it ({@code STATUS_RATE_LIMIT})
 * @param inboundLimit messages of any kind per connection; over it the connection closes with 1008 ({@code INBOUND_LIMIT})
 * @param presenceDownPeriod how long a silent node's users stay in the other nodes' lists ({@code PRESENCE_DOWN_MS})
 */
@ConfigurationProperties("chat")
public record ChatProperties(
    String adminToken,
    RateLimitSetting rateLimit,
    RateLimitSetting typingRateLimit,
    RateLimitSetting statusRateLimit,
    RateLimitSetting inboundLimit,
    Duration presenceDownPeriod) {

  /** Refuses a missing value here, naming the property, rather than failing later on a null. */
  public ChatProperties {
    if (adminToken == null || adminToken.isBlank() || rateLimit == null || typingRateLimit == null
        || statusRateLimit == null || inboundLimit == null || presenceDownPeriod == null) {
      throw new IllegalArgumentException("chat.admin-token, chat.rate-limit, chat.typing-rate-limit, "
          + "chat.status-rate-limit, chat.inbound-limit and chat.presence-down-period must all be set "
          + "(application.yml sets them from the environment)");
    }
  }
}
