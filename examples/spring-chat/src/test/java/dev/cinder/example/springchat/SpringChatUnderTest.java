package dev.cinder.example.springchat;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.example.chat.ChatConfig;
import dev.cinder.example.chat.ChatUnderTest;
import dev.cinder.presence.Presence;
import dev.cinder.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts this application for the plain example's contract tests ({@code -Dchat.implementation} names this class):
 * their {@link ChatConfig} becomes the environment variables the application reads, given as command-line arguments
 * so that nothing in the test's own environment can override them.
 */
public final class SpringChatUnderTest implements ChatUnderTest.Factory {
  /** For the tests, by reflection. */
  public SpringChatUnderTest() {}

  @Override
  public ChatUnderTest start(ChatConfig config) {
    return new Running(new SpringApplicationBuilder(SpringChatApplication.class).run(arguments(config)));
  }

  /** {@code --NAME=value} for each environment variable of the contract (and the example's extra budgets). */
  static String[] arguments(ChatConfig config) {
    List<String> args = new ArrayList<>(List.of(
        "--PORT=" + config.port(),
        "--SECRET_KEY_BASE=" + config.secretKeyBase(),
        "--ADMIN_TOKEN=" + config.adminToken(),
        "--ALLOWED_ORIGINS=" + String.join(",", config.allowedOrigins()),
        "--SOCKET_TIMEOUT_MS=" + config.socketTimeout().toMillis(),
        "--RATE_LIMIT=" + budget(config.rateLimit()),
        "--TYPING_RATE_LIMIT=" + budget(config.typingLimit()),
        "--STATUS_RATE_LIMIT=" + budget(config.statusLimit()),
        "--INBOUND_LIMIT=" + budget(config.inboundLimit()),
        "--PUBSUB=" + (config.cluster().redis() ? "redis" : "local"),
        "--NODE_NAME=" + config.cluster().nodeName(),
        "--PRESENCE_DOWN_MS=" + config.cluster().presenceDownPeriod().toMillis()));
    if (config.cluster().redisUrl() != null) {
      args.add("--REDIS_URL=" + config.cluster().redisUrl());
    }
    if (config.databaseUrl() != null) {
      args.add("--DATABASE_URL=" + config.databaseUrl());
    }
    return args.toArray(String[]::new);
  }

  private static String budget(ChatConfig.RateLimitSetting setting) {
    return setting.count() + "/" + setting.window().toMillis();
  }

  /** The running context, seen as the contract tests see an application. */
  private record Running(ConfigurableApplicationContext context) implements ChatUnderTest {
    @Override
    public int port() {
      return context.getBean(Endpoint.class).port();
    }

    @Override
    public Presence presence() {
      return context.getBean(Presence.class);
    }

    @Override
    public Telemetry telemetry() {
      return context.getBean(Telemetry.class);
    }

    @Override
    public void close() {
      context.close();
    }
  }
}
