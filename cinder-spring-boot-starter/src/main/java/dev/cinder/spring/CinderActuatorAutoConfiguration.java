package dev.cinder.spring;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.telemetry.Telemetry;
import org.springframework.boot.actuate.info.InfoContributor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Cinder's health ({@code cinder}) and info, when the application has Spring Boot's health or actuator. */
@AutoConfiguration(after = CinderAutoConfiguration.class)
@ConditionalOnBean(Endpoint.class)
public class CinderActuatorAutoConfiguration {
  /** Created by Spring Boot. */
  public CinderActuatorAutoConfiguration() {}

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthIndicator.class)
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "cinderHealthIndicator")
    CinderHealthIndicator cinderHealthIndicator(Endpoint endpoint) {
      return new CinderHealthIndicator(endpoint);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(InfoContributor.class)
  static class Info {
    @Bean
    @ConditionalOnMissingBean(name = "cinderInfoContributor")
    CinderInfoContributor cinderInfoContributor(Endpoint endpoint, Telemetry telemetry) {
      return new CinderInfoContributor(endpoint, telemetry);
    }
  }
}
