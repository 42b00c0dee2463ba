package dev.cinder.bench.mini;

import dev.cinder.PubSub;
import dev.cinder.SocketHandler;
import dev.cinder.http.HttpResponse;
import dev.cinder.spring.CinderEndpointCustomizer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;

/**
 * {@link MiniApp} as a Spring Boot application on cinder-spring-boot-starter: the same socket, the same routes and
 * the same socket options, but the endpoint, its PubSub, Presence and Telemetry are the starter's beans, built from
 * {@code cinder.*} properties and started and drained by the application context. The {@code spring} benchmark runs
 * it beside {@link MiniApp} to show what the starter costs per message. No web server: Cinder's port serves all.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class SpringMiniApp {
  /** Created by Spring. */
  public SpringMiniApp() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    new SpringApplicationBuilder(SpringMiniApp.class).web(WebApplicationType.NONE).bannerMode(Banner.Mode.OFF)
        .properties(
            "cinder.port=" + env.getOrDefault("PORT", "4000"),
            "cinder.secret-key-base=" + env.get("SECRET_KEY_BASE"),
            "cinder.node-name=mini",
            "cinder.socket.long-poll=true",
            // MiniApp's raised inbound limits: the echo scenario pings as fast as round trips allow.
            "cinder.socket.inbound-rate=1000000",
            "cinder.socket.inbound-burst=1000000",
            "logging.level.root=" + env.getOrDefault("LOG_LEVEL", "INFO"))
        .run(args);
  }

  @Bean
  SocketHandler miniSocket() {
    return new MiniSocket(System.getenv("SECRET_KEY_BASE"));
  }

  /** MiniApp's routes on Cinder's port: the broadcast API the publisher posts to, the recovery reads, health. */
  @Bean
  CinderEndpointCustomizer miniRoutes(PubSub pubSub) {
    byte[] admin = System.getenv("ADMIN_TOKEN").getBytes(StandardCharsets.UTF_8);
    return builder -> builder
        .post("/api/broadcast", r -> MiniApp.broadcast(pubSub, admin, r))
        .get("/api/recovery-reads", r -> MiniApp.recoveryReads(pubSub, admin, r))
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")));
  }
}
