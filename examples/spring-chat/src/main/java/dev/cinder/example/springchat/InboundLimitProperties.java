package dev.cinder.example.springchat;

import dev.cinder.example.chat.ChatConfig.RateLimitSetting;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns {@code chat.inbound-limit} ({@code INBOUND_LIMIT}, {@code COUNT/WINDOW_MS} as the plain example reads it) into
 * Cinder's {@code cinder.socket.inbound-burst} (COUNT) and {@code cinder.socket.inbound-rate} (COUNT/WINDOW a second),
 * which the starter applies with every other {@code cinder.socket.*} property. Either set directly wins.
 */
final class InboundLimitProperties implements EnvironmentPostProcessor {
  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    String budget = environment.getProperty("chat.inbound-limit");
    if (budget == null || budget.isBlank()) {
      return; // ChatProperties names the missing property
    }
    RateLimitSetting limit;
    try {
      limit = RateLimitSetting.parse(budget);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("chat.inbound-limit (INBOUND_LIMIT) " + e.getMessage());
    }
    environment.getPropertySources().addLast(new MapPropertySource("chat.inbound-limit", Map.of(
        "cinder.socket.inbound-burst", limit.count(),
        "cinder.socket.inbound-rate", limit.perSecond())));
  }
}
