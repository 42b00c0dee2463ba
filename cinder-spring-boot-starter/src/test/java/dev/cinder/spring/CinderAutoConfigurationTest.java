package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SlowConsumerPolicy;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.DrainOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.endpoint.HttpOptions;
import dev.cinder.endpoint.IoTransport;
import dev.cinder.micrometer.CinderMetrics;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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
        "cinder.socket.websocket=false", "cinder.socket.long-poll=true", "cinder.socket.auth-token=false",
        "cinder.socket.compress=true", "cinder.socket.max-channels=7", "cinder.socket.max-frame-size=64KB",
        "cinder.socket.max-queued-bytes=512KB", "cinder.socket.slow-consumer-policy=drop",
        "cinder.socket.inbound-rate=20", "cinder.socket.inbound-burst=40", "cinder.socket.max-pending-pushes=9",
        "cinder.socket.inline-push-limit=0ms", "cinder.socket.long-poll-window=25s",
        "cinder.socket.max-long-poll-sessions-per-id=3", "cinder.socket.max-long-poll-sessions-per-address=50",
        "cinder.socket.max-long-poll-sessions=500").run(context -> {
          assertThat(context).hasNotFailed();
          CinderProperties.Socket socket = context.getBean(CinderProperties.class).socket();
          assertThat(socket.path()).isEqualTo("/live");
          assertThat(socket.checkOrigin()).containsExactly("https://example.com", "//*.example.org");
          SocketOptions options = CinderOptions.socket(socket);
          assertThat(options.checkOrigin().allows("https://example.com")).isTrue();
          assertThat(options.checkOrigin().allows("https://a.example.org")).isTrue();
          assertThat(options.checkOrigin().allows("https://evil.test")).isFalse();
          assertThat(options).isEqualTo(SocketOptions.defaults().idleTimeout(Duration.ofSeconds(15))
              .checkOrigin(options.checkOrigin()).websocket(false).longPoll(true).authToken(false).compress(true)
              .maxChannels(7).maxFrameSize(64 * 1024).maxQueuedBytes(512 * 1024)
              .slowConsumerPolicy(SlowConsumerPolicy.DROP).inboundRate(20).inboundBurst(40).maxPendingPushes(9)
              .inlinePushLimit(Duration.ZERO).longPollWindow(Duration.ofSeconds(25)).maxLongPollSessionsPerId(3)
              .maxLongPollSessionsPerAddress(50).maxLongPollSessions(500));
        });
  }

  @Test
  void httpAndDrainPropertiesBind() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.http.header-timeout=3s",
        "cinder.http.body-timeout=7s", "cinder.http.keep-alive-timeout=2m", "cinder.http.max-body-size=1MB",
        "cinder.http.max-long-poll-body-size=2MB", "cinder.http.max-body-bytes-in-flight=256MB",
        "cinder.http.max-request-line-length=8KB", "cinder.http.max-header-size=16KB",
        "cinder.http.max-pipelined-requests=16", "cinder.drain.batch-size=500", "cinder.drain.batch-interval=250ms",
        "cinder.drain.shutdown=20s").run(context -> {
          assertThat(context).hasNotFailed();
          CinderProperties properties = context.getBean(CinderProperties.class);
          assertThat(CinderOptions.http(properties.http())).isEqualTo(HttpOptions.defaults()
              .headerTimeout(Duration.ofSeconds(3)).bodyTimeout(Duration.ofSeconds(7))
              .keepAliveTimeout(Duration.ofMinutes(2)).maxBodySize(1 << 20).maxLongPollBodySize(2 << 20)
              .maxBodyBytesInFlight(256L << 20).maxRequestLineLength(8192).maxHeaderSize(16384)
              .maxPipelinedRequests(16));
          DrainOptions drain = CinderOptions.drain(properties.drain());
          assertThat(drain.batchSize()).isEqualTo(500);
          assertThat(drain.batchInterval()).isEqualTo(Duration.ofMillis(250));
          assertThat(drain.shutdown()).isEqualTo(Duration.ofSeconds(20));
        });
  }

  @Test
  void defaultsAreCindersOwn() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET).run(context -> {
      CinderProperties properties = context.getBean(CinderProperties.class);
      assertThat(properties.socket().path()).isEqualTo("/socket");
      assertThat(properties.pubsub().type()).isEqualTo(CinderProperties.Type.LOCAL);
      assertThat(properties.ioThreads()).isNull();
      assertThat(properties.ioTransport()).isNull();
      assertThat(CinderOptions.socket(properties.socket())).isEqualTo(SocketOptions.defaults());
      assertThat(CinderOptions.http(properties.http())).isEqualTo(HttpOptions.defaults());
      DrainOptions drain = CinderOptions.drain(properties.drain());
      assertThat(List.of(drain.batchSize(), drain.batchInterval(), drain.shutdown())).isEqualTo(List.of(
          DrainOptions.defaults().batchSize(), DrainOptions.defaults().batchInterval(),
          DrainOptions.defaults().shutdown()));
    });
  }

  @Test
  void theIoTransportReachesTheEndpoint() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.io-transport=nio",
        "cinder.io-threads=1").run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(Endpoint.class).ioTransport()).isEqualTo(IoTransport.NIO);
        });
  }

  @Test
  void aCustomizerChangesTheBuilderAfterTheProperties() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.io-transport=epoll")
        .withBean(CinderEndpointCustomizer.class, () -> builder -> builder.ioTransport(IoTransport.NIO))
        .run(context -> assertThat(context.getBean(Endpoint.class).ioTransport()).isEqualTo(IoTransport.NIO));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
      cinder.socket.max-frame-size=512B   | cinder.socket.max-frame-size=512B is not allowed: maxFrameSize must be at least 1024 bytes
      cinder.socket.max-frame-size=3GB    | cinder.socket.max-frame-size=3221225472B is not allowed: it must be at most 2147483647 bytes
      cinder.socket.idle-timeout=0s       | cinder.socket.idle-timeout=PT0S is not allowed: idleTimeout must be positive
      cinder.socket.long-poll-window=-1s  | cinder.socket.long-poll-window=PT-1S is not allowed: longPollWindow must be positive
      cinder.socket.max-channels=0        | cinder.socket.max-channels=0 is not allowed: maxChannels must be at least 1
      cinder.socket.inbound-rate=0        | cinder.socket.inbound-rate=0 is not allowed: inboundRate must be at least 1 message per second
      cinder.socket.inline-push-limit=-1ms| cinder.socket.inline-push-limit=PT-0.001S is not allowed: inlinePushLimit must not be negative
      cinder.socket.max-queued-bytes=1B   | cinder.socket.max-queued-bytes=1B is not allowed: maxQueuedBytes must be at least 1024 bytes
      cinder.http.header-timeout=0s       | cinder.http.header-timeout=PT0S is not allowed: headerTimeout must be positive
      cinder.http.max-header-size=100B    | cinder.http.max-header-size=100B is not allowed: maxHeaderSize must be at least 1024
      cinder.http.max-pipelined-requests=0| cinder.http.max-pipelined-requests=0 is not allowed: maxPipelinedRequests must be at least 1
      cinder.drain.batch-size=0           | cinder.drain.batch-size=0 is not allowed: batchSize must be at least 1
      cinder.drain.batch-interval=-2s     | cinder.drain.batch-interval=PT-2S is not allowed: batchInterval must not be negative
      cinder.io-threads=0                 | cinder.io-threads must be at least 1, got 0
      cinder.socket.check-origin=example.com | cinder.socket.check-origin=[example.com] is not allowed: an allowed origin needs a host: example.com
      cinder.socket.path=/socket/         | cinder.socket.path must start with / and not end with /, got /socket/
      """)
  void anInvalidLimitFailsAtStartupNamingTheProperty(String property, String message) {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, property).run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessage(message);
    });
  }

  @Test
  void aValueOfTheWrongKindFailsTheBindingNamingTheProperty() {
    runner.withUserConfiguration(Handler.class).withPropertyValues(SECRET, "cinder.drain.shutdown=soon").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure())
          .hasStackTraceContaining("Failed to bind properties under 'cinder.drain.shutdown' to java.time.Duration")
          .rootCause().hasMessageContaining("soon");
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
          .containsEntry("cinder.pubsub.type", "local").containsEntry("cinder.socket.idle-timeout", "60s")
          .containsEntry("cinder.socket.max-channels", "100").containsEntry("cinder.socket.max-frame-size", "1MB")
          .containsEntry("cinder.socket.max-queued-bytes", "4MB")
          .containsEntry("cinder.socket.slow-consumer-policy", "close")
          .containsEntry("cinder.socket.inbound-rate", "100").containsEntry("cinder.socket.inbound-burst", "500")
          .containsEntry("cinder.socket.max-pending-pushes", "1000")
          .containsEntry("cinder.socket.inline-push-limit", "1ms")
          .containsEntry("cinder.socket.long-poll-window", "10s")
          .containsEntry("cinder.socket.max-long-poll-sessions-per-id", "20")
          .containsEntry("cinder.socket.max-long-poll-sessions-per-address", "1000")
          .containsEntry("cinder.socket.max-long-poll-sessions", "100000")
          .containsEntry("cinder.socket.websocket", "true").containsEntry("cinder.socket.auth-token", "true")
          .containsEntry("cinder.socket.compress", "false")
          .containsEntry("cinder.http.header-timeout", "10s").containsEntry("cinder.http.body-timeout", "30s")
          .containsEntry("cinder.http.keep-alive-timeout", "60s").containsEntry("cinder.http.max-body-size", "64KB")
          .containsEntry("cinder.http.max-long-poll-body-size", "8000000B")
          .containsEntry("cinder.http.max-body-bytes-in-flight", "64MB")
          .containsEntry("cinder.http.max-request-line-length", "4KB")
          .containsEntry("cinder.http.max-header-size", "8KB")
          .containsEntry("cinder.http.max-pipelined-requests", "128")
          .containsEntry("cinder.drain.batch-size", "10000").containsEntry("cinder.drain.batch-interval", "2s")
          .containsEntry("cinder.drain.shutdown", "30s")
          .containsKeys("cinder.secret-key-base", "cinder.socket.check-origin", "cinder.pubsub.redis.url",
              "cinder.node-name", "cinder.io-threads", "cinder.io-transport");
      assertThat(List.copyOf(names.keySet())).allMatch(name -> name.startsWith("cinder."));
    }
  }
}
