package dev.cinder.spring;

import dev.cinder.PubSub;
import dev.cinder.micrometer.CinderMetrics;
import dev.cinder.presence.Presence;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Binds Cinder's telemetry to the application's {@link MeterRegistry} ({@code cinder.sockets}, {@code cinder.channels},
 * timers of joins and events...) when cinder-micrometer is on the class path and a registry bean exists.
 */
@AutoConfiguration(after = CinderAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({CinderMetrics.class, MeterRegistry.class})
@ConditionalOnBean({MeterRegistry.class, Telemetry.class, Presence.class, PubSub.class})
public class CinderMetricsAutoConfiguration {
  /** Created by Spring Boot. */
  public CinderMetricsAutoConfiguration() {}

  /** The meters, registered once in {@code registry}. */
  @Bean
  @ConditionalOnMissingBean
  public CinderMetrics cinderMetrics(MeterRegistry registry, Telemetry telemetry, PubSub pubSub, Presence presence) {
    return CinderMetrics.bind(registry, telemetry, topicCount(pubSub), presence::size);
  }

  /** The local topic count, if the PubSub is one of Cinder's own. */
  private static Supplier<Number> topicCount(PubSub pubSub) {
    if (pubSub instanceof LocalPubSub local) {
      return local::topicCount;
    }
    if (pubSub instanceof ClusterPubSub cluster) {
      return cluster.local()::topicCount;
    }
    return null;
  }
}
