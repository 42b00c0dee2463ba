package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.micrometer.CinderMetrics;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.mock.env.MockEnvironment;

/** Conditions and property binding, each in a fresh application context. */
class CinderAutoConfigurationTest {
  private static final String SECRET = "cinder.secret-key-base=0123456789abcdef0123456789abcdef";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CinderAutoConfiguration.class, CinderMetricsAutoConfiguration.class,
          CinderActuatorAutoConfiguration.class))
      .withPropertyValues("cinder.port=0", "cinder.host=127.0.0.1");

  /** The smallest application: a socket handler that accepts everyone and routes nothing. */
  @Configuration(proxyBeanMethods = false)
  static class Handler {
    @Bean
    SocketHandler socketHandler() {
      return new SocketHandler() {
        @Override
        public void routes(Routes routes) {}

        @Override
        public Connect connect(Params params, ConnectInfo info) {
          return Connect.ok();
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void withoutASocketHandlerNothingStarts() {
    runner.withPropertyValues(SECRET).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(Endpoint.class).doesNotHaveBean(PubSub.class)
          .doesNotHaveBean(CinderHealthIndicator.class);
    });
  }

  @Test
  void aSocketHandlerGetsAStartedEndpointWithALocalPubSubAndPresence() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.node-name=node-a").run(context -> {
      assertThat(context).hasNotFailed();
      Endpoint endpoint = context.getBean(Endpoint.class);
      assertThat(endpoint.drainStatus().phase().name()).isEqualTo("SERVING");
      assertThat(endpoint.port()).isPositive();
      assertThat(context.getBean(PubSub.class)).isInstanceOf(LocalPubSub.class).isSameAs(endpoint.pubSub());
      assertThat(context.getBean(PubSub.class).nodeName()).isEqualTo("node-a");
      assertThat(context.getBean(Presence.class).nodeName()).isEqualTo("node-a");
      assertThat(context).hasSingleBean(CinderHealthIndicator.class).hasSingleBean(CinderInfoContributor.class)
          .doesNotHaveBean(CinderMetrics.class);
    });
  }

  @Test
  void aMissingSecretFailsAtStartupNamingTheProperty() {
    runner.withUserConfiguration(Handler.class).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cinder.secret-key-base is required");
    });
  }

  @Test
  void aShortSecretFailsAtStartup() {
    runner.withUserConfiguration(Handler.class).withPropertyValues("cinder.secret-key-base=too-short").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause()
          .hasMessage("cinder.secret-key-base is too short: Cinder needs at least 20 bytes");
    });
  }

  @Test
  void socketPropertiesBind() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.socket.path=/live",
        "cinder.socket.idle-timeout=15s", "cinder.socket.check-origin=https://example.com,//*.example.org",
        "cinder.socket.long-poll=true", "cinder.socket.max-channels=7").run(context -> {
          assertThat(context).hasNotFailed();
          CinderProperties.Socket socket = context.getBean(CinderProperties.class).socket();
          assertThat(socket.path()).isEqualTo("/live");
          assertThat(socket.checkOrigin()).containsExactly("https://example.com", "//*.example.org");
          SocketOptions options = CinderAutoConfiguration.socketOptions(socket);
          assertThat(options.idleTimeout()).isEqualTo(Duration.ofSeconds(15));
          assertThat(options.longPoll()).isTrue();
          assertThat(options.maxChannels()).isEqualTo(7);
          assertThat(options.checkOrigin().allows("https://example.com")).isTrue();
          assertThat(options.checkOrigin().allows("https://a.example.org")).isTrue();
          assertThat(options.checkOrigin().allows("https://evil.test")).isFalse();
        });
  }

  @Test
  void defaultsKeepCindersSocketOptions() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET).run(context -> {
      CinderProperties properties = context.getBean(CinderProperties.class);
      assertThat(properties.socket().path()).isEqualTo("/socket");
      assertThat(properties.pubsub().type()).isEqualTo(CinderProperties.Type.LOCAL);
      assertThat(CinderAutoConfiguration.socketOptions(properties.socket())).isEqualTo(SocketOptions.defaults());
    });
  }

  @Test
  void aBadPortFailsAtStartup() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.port=70000").run(context ->
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("cinder.port must be between"));
  }

  @Test
  void aMeterRegistryGetsCindersMeters() {
    runner.withUserConfiguration(Handler.class, Registry.class).withPropertyValues(SECRET).run(context -> {
      assertThat(context).hasSingleBean(CinderMetrics.class);
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      assertThat(registry.get("cinder.sockets").gauge().value()).isZero();
      assertThat(registry.get("cinder.topics").gauge()).isNotNull();
      assertThat(registry.get("cinder.presences").gauge().value()).isZero();
    });
  }

  @Test
  void withoutCinderMicrometerNoMetersAreBound() {
    runner.withUserConfiguration(Handler.class, Registry.class).withPropertyValues(SECRET)
        .withClassLoader(new FilteredClassLoader(CinderMetrics.class)).run(context -> {
          assertThat(context).hasNotFailed().doesNotHaveBean(CinderMetrics.class);
          assertThat(context.getBean(MeterRegistry.class).find("cinder.sockets").gauge()).isNull();
        });
  }

  @Test
  void redisWithoutCinderRedisFailsClearly() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.pubsub.type=redis")
        .withClassLoader(new FilteredClassLoader(RedisPubSubAdapter.class)).run(context ->
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessage("cinder.pubsub.type=redis needs dev.cinder:cinder-redis on the class path"));
  }

  @Test
  void redisWithoutAnyUrlFailsClearly() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.pubsub.type=redis").run(context ->
        assertThat(context.getStartupFailure()).rootCause()
            .hasMessageContaining("cinder.pubsub.type=redis needs cinder.pubsub.redis.url"));
  }

  @Test
  void theRedisUrlFallsBackToSpringsRedisSettings() {
    MockEnvironment env = new MockEnvironment();
    assertThat(CinderRedisConfiguration.redisUrl("redis://own:1", env.withProperty("spring.data.redis.url", "redis://s:2")))
        .isEqualTo("redis://own:1");
    assertThat(CinderRedisConfiguration.redisUrl(null, env)).isEqualTo("redis://s:2");
    MockEnvironment hostPort = new MockEnvironment().withProperty("spring.data.redis.host", "cache")
        .withProperty("spring.data.redis.port", "6380");
    assertThat(CinderRedisConfiguration.redisUrl("", hostPort)).isEqualTo("redis://cache:6380");
    assertThat(CinderRedisConfiguration.redisUrl(null, new MockEnvironment().withProperty("spring.data.redis.host", "h")))
        .isEqualTo("redis://h:6379");
  }

  @Test
  void metadataDescribesTheProperties() throws Exception {
    try (var in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).as("the configuration processor's output").isNotNull();
      tools.jackson.databind.JsonNode json = new tools.jackson.databind.ObjectMapper().readTree(in);
      var names = new java.util.HashMap<String, String>();
      for (var property : json.get("properties")) {
        names.put(property.get("name").stringValue(),
            property.has("defaultValue") ? property.get("defaultValue").asString() : null);
      }
      assertThat(names).containsEntry("cinder.port", "4000").containsEntry("cinder.host", "0.0.0.0")
          .containsEntry("cinder.socket.path", "/socket").containsEntry("cinder.socket.long-poll", "false")
          .containsEntry("cinder.pubsub.type", "local").containsKeys("cinder.secret-key-base",
              "cinder.socket.idle-timeout", "cinder.socket.check-origin", "cinder.socket.max-channels",
              "cinder.pubsub.redis.url", "cinder.node-name");
      assertThat(List.copyOf(names.keySet())).allMatch(name -> name.startsWith("cinder."));
    }
  }
}
