package dev.cinder.spring;

import dev.cinder.PubSub;
import dev.cinder.SocketHandler;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.pubsub.NodeNames;
import dev.cinder.telemetry.Telemetry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Serves the application's {@link SocketHandler} bean with a Cinder {@link Endpoint} on its own port, started and
 * drained with the application context, with its {@link PubSub} and a {@link Presence} as beans.
 */
@AutoConfiguration
@ConditionalOnBean(SocketHandler.class)
@EnableConfigurationProperties(CinderProperties.class)
@Import(CinderRedisConfiguration.class)
public class CinderAutoConfiguration {
  /** Created by Spring Boot. */
  public CinderAutoConfiguration() {}

  /** The telemetry the endpoint, its PubSub and Presence report to (the metrics read it). */
  @Bean
  @ConditionalOnMissingBean
  public Telemetry cinderTelemetry() {
    return new Telemetry();
  }

  /** A single node's PubSub ({@code cinder.pubsub.type=local}, the default). */
  @Bean
  @ConditionalOnMissingBean(PubSub.class)
  @ConditionalOnProperty(name = "cinder.pubsub.type", havingValue = "local", matchIfMissing = true)
  public LocalPubSub cinderLocalPubSub(Telemetry telemetry, CinderProperties properties) {
    return new LocalPubSub(telemetry, nodeName(properties));
  }

  /** This node's Presence on the endpoint's PubSub; closed after the endpoint's drain, so leaves reach the others. */
  @Bean
  @ConditionalOnMissingBean
  public Presence cinderPresence(PubSub pubSub, Telemetry telemetry) {
    return Presence.create(pubSub, PresenceOptions.defaults(), telemetry);
  }

  /**
   * The endpoint, built from the {@code cinder.*} properties and the application's
   * {@link CinderEndpointCustomizer}s but not started: {@link CinderEndpointLifecycle} starts and drains it.
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public Endpoint cinderEndpoint(CinderProperties properties, SocketHandler handler, PubSub pubSub,
      Telemetry telemetry, ObjectProvider<CinderEndpointCustomizer> customizers) {
    Endpoint.Builder builder = Endpoint.builder()
        .host(properties.host())
        .port(properties.port())
        .secretKeyBase(properties.secretKeyBase())
        .pubSub(pubSub)
        .telemetry(telemetry)
        .http(CinderOptions.http(properties.http()))
        .drain(CinderOptions.drain(properties.drain()))
        .socket(properties.socket().path(), handler, CinderOptions.socket(properties.socket()));
    if (properties.ioThreads() != null) {
      builder.ioThreads(properties.ioThreads());
    }
    if (properties.ioTransport() != null) {
      builder.ioTransport(properties.ioTransport());
    }
    customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
    return builder.build();
  }

  /**
   * Starts the endpoint with the context (then {@code local.cinder.port} holds its port) and drains it on shutdown,
   * before the web server stops.
   */
  @Bean
  public CinderEndpointLifecycle cinderEndpointLifecycle(Endpoint endpoint, ConfigurableEnvironment environment) {
    return new CinderEndpointLifecycle(endpoint, environment);
  }

  static String nodeName(CinderProperties properties) {
    String name = properties.nodeName();
    return name == null || name.isBlank() ? NodeNames.generate() : name;
  }

  /** Says what is missing when Redis is asked for without cinder-redis, rather than starting on a local PubSub. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingClass("dev.cinder.redis.RedisPubSubAdapter")
  @ConditionalOnProperty(name = "cinder.pubsub.type", havingValue = "redis")
  static class RedisMissing {
    @Bean
    @ConditionalOnMissingBean(PubSub.class)
    PubSub cinderRedisPubSub() {
      throw new IllegalStateException("cinder.pubsub.type=redis needs dev.cinder:cinder-redis on the class path");
    }
  }
}
