package dev.cinder.spring;

import dev.cinder.micrometer.CinderObservationConvention;
import dev.cinder.micrometer.CinderObservations;
import dev.cinder.telemetry.Telemetry;
import io.micrometer.observation.ObservationRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Observes the endpoint's connects, joins, {@code handleIn}s and broadcasts between nodes in the application's
 * {@link ObservationRegistry} ({@link CinderObservations}), when cinder-micrometer is on the class path and a registry
 * bean exists: timers through the registry's meter handler, and traces through a tracing bridge if the application has
 * one (Spring Boot's {@code spring-boot-micrometer-tracing-opentelemetry} or {@code -brave}). A
 * {@link CinderObservationConvention} bean replaces the default key values. Bound while the context is created, before
 * the endpoint starts, so every socket is observed.
 */
@AutoConfiguration(after = CinderAutoConfiguration.class,
    afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass({CinderObservations.class, ObservationRegistry.class})
@ConditionalOnBean({ObservationRegistry.class, Telemetry.class})
public class CinderObservationAutoConfiguration {
  /** Created by Spring Boot. */
  public CinderObservationAutoConfiguration() {}

  /** The endpoint's observations in {@code registry}; nothing is observed with {@link ObservationRegistry#NOOP}. */
  @Bean
  @ConditionalOnMissingBean
  public CinderObservations cinderObservations(ObservationRegistry registry, Telemetry telemetry,
      ObjectProvider<CinderObservationConvention> convention) {
    return CinderObservations.bind(registry, telemetry, convention.getIfAvailable());
  }
}
