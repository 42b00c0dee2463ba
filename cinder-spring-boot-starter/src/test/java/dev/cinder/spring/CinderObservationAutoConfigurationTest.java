package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.micrometer.CinderObservationConvention;
import dev.cinder.micrometer.CinderObservations;
import dev.cinder.micrometer.DefaultCinderObservationConvention;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.PhoenixJsExtension;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The endpoint observed in the application's ObservationRegistry, driven by the official client. */
class CinderObservationAutoConfigurationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CinderAutoConfiguration.class, CinderObservationAutoConfiguration.class))
      .withPropertyValues("cinder.port=0", "cinder.host=127.0.0.1",
          "cinder.secret-key-base=0123456789abcdef0123456789abcdef")
      .withUserConfiguration(Handler.class);

  /** A socket handler accepting everyone, with rooms that answer "echo". */
  @Configuration(proxyBeanMethods = false)
  static class Handler {
    @Bean
    SocketHandler socketHandler() {
      return new SocketHandler() {
        @Override
        public void routes(Routes routes) {
          routes.channel("room:*", () -> new Channel() {
            @Override
            public Join join(String topic, Payload params, ChannelContext ctx) {
              return Join.ok();
            }

            @Override
            public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
              return Reply.ok(payload);
            }
          });
        }

        @Override
        public Connect connect(Params params, ConnectInfo info) {
          return Connect.ok();
        }
      };
    }
  }

  /** An ObservationRegistry whose one handler keeps every stopped observation's context. */
  @Configuration(proxyBeanMethods = false)
  static class Registry {
    final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

    @Bean
    ObservationRegistry observationRegistry() {
      ObservationRegistry registry = ObservationRegistry.create();
      registry.observationConfig().observationHandler(new ObservationHandler<>() {
        @Override
        public void onStop(Observation.Context context) {
          stopped.add(context);
        }

        @Override
        public boolean supportsContext(Observation.Context context) {
          return true;
        }
      });
      return registry;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Convention {
    @Bean
    CinderObservationConvention cinderObservationConvention() {
      return new DefaultCinderObservationConvention() {
        @Override
        public KeyValues getLowCardinalityKeyValues(Observation.Context context) {
          return super.getLowCardinalityKeyValues(context).and("app", "chat");
        }
      };
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class NoopRegistry {
    @Bean
    ObservationRegistry observationRegistry() {
      return ObservationRegistry.NOOP;
    }
  }

  @Test
  void theApplicationsObservationRegistryObservesConnectsJoinsAndEvents() {
    runner.withUserConfiguration(Registry.class, Convention.class).run(context -> {
      assertThat(context).hasNotFailed();
      CinderObservations observations = context.getBean(CinderObservations.class);
      assertThat(context.getBean(Telemetry.class).tracing()).isSameAs(observations);
      Endpoint endpoint = context.getBean(Endpoint.class);
      JsChannel room = js.connect("ws://127.0.0.1:" + endpoint.port() + "/socket", Map.of()).channel("room:1");
      assertThat(room.join().isOk()).isTrue();
      assertThat(room.push("echo", Map.of("n", 1)).isOk()).isTrue();

      List<Observation.Context> stopped = context.getBean(Registry.class).stopped;
      await().atMost(WAIT).until(() -> stopped.stream().anyMatch(c -> c.getName().equals(CinderObservations.HANDLE_IN)));
      assertThat(stopped).extracting(Observation.Context::getName)
          .contains(CinderObservations.CONNECT, CinderObservations.JOIN, CinderObservations.HANDLE_IN);
      Observation.Context handleIn = stopped.stream()
          .filter(c -> c.getName().equals(CinderObservations.HANDLE_IN)).findFirst().orElseThrow();
      assertThat(handleIn.getLowCardinalityKeyValues()).contains(KeyValue.of("route", "room:*"),
          KeyValue.of("event", "echo"), KeyValue.of("status", "ok"), KeyValue.of("app", "chat"));
      assertThat(handleIn.getHighCardinalityKeyValues()).contains(KeyValue.of("topic", "room:1"));
    });
  }

  @Test
  void withoutAnObservationRegistryNothingIsObserved() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(CinderObservations.class);
      assertThat(context.getBean(Telemetry.class).tracing()).isNull();
    });
  }

  @Test
  void aNoopObservationRegistryBindsNothing() {
    runner.withUserConfiguration(NoopRegistry.class).run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(CinderObservations.class);
      assertThat(context.getBean(Telemetry.class).tracing()).isNull();
    });
  }
}
