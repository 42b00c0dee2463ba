package dev.cinder.spring;

import dev.cinder.PubSub;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** A PubSub shared over Redis ({@code cinder.pubsub.type=redis}), when cinder-redis is on the class path. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(RedisPubSubAdapter.class)
@ConditionalOnProperty(name = "cinder.pubsub.type", havingValue = "redis")
class CinderRedisConfiguration {
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(PubSub.class)
  ClusterPubSub cinderRedisPubSub(CinderProperties properties, Environment environment, Telemetry telemetry) {
    String url = redisUrl(properties.pubsub().redis().url(), environment);
    return RedisPubSubAdapter.cluster(RedisPubSubOptions.of(url, CinderAutoConfiguration.nodeName(properties)),
        telemetry);
  }

  /** {@code cinder.pubsub.redis.url}, else Spring's own Redis settings. */
  static String redisUrl(String own, Environment environment) {
    if (own != null && !own.isBlank()) {
      return own;
    }
    String springUrl = environment.getProperty("spring.data.redis.url");
    if (springUrl != null && !springUrl.isBlank()) {
      return springUrl;
    }
    String host = environment.getProperty("spring.data.redis.host");
    String port = environment.getProperty("spring.data.redis.port");
    if (host != null || port != null) {
      return "redis://" + (host != null ? host : "localhost") + ":" + (port != null ? port : "6379");
    }
    throw new IllegalStateException("cinder.pubsub.type=redis needs cinder.pubsub.redis.url (or spring.data.redis.url,"
        + " or spring.data.redis.host and port)");
  }
}
