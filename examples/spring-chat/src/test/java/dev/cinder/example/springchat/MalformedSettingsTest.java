package dev.cinder.example.springchat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

/** A malformed environment variable stops the start with a message that names it, before anything listens. */
class MalformedSettingsTest {
  private static void start(String... args) {
    new SpringApplicationBuilder(SpringChatApplication.class).run(args).close();
  }

  @Test
  void aMalformedInboundLimitNamesTheVariable() {
    assertThatThrownBy(() -> start("--PORT=0", "--DATABASE_URL=jdbc:h2:mem:malformed-inbound", "--INBOUND_LIMIT=lots"))
        .hasMessageContaining("INBOUND_LIMIT")
        .hasMessageContaining("COUNT/WINDOW_MS");
  }

  @Test
  void aMalformedRateLimitNamesTheProperty() {
    assertThatThrownBy(() -> start("--PORT=0", "--DATABASE_URL=jdbc:h2:mem:malformed-rate", "--RATE_LIMIT=10/0"))
        .hasStackTraceContaining("chat.rate-limit")
        .hasStackTraceContaining("COUNT/WINDOW_MS");
  }

  @Test
  void aZeroSocketTimeoutIsRefused() {
    assertThatThrownBy(() -> start("--PORT=0", "--DATABASE_URL=jdbc:h2:mem:malformed-timeout", "--SOCKET_TIMEOUT_MS=0"))
        .hasStackTraceContaining("cinder.socket.idle-timeout")
        .hasStackTraceContaining("idleTimeout must be positive");
  }
}
