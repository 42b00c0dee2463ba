package dev.cinder.example.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.cinder.endpoint.Endpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** {@code GET /health} follows Actuator's health: once the database cannot be reached it answers 503 {@code down}. */
class HealthRouteTest {
  @Test
  void healthIsDownOnceTheDatabaseIsGone() throws Exception {
    try (ConfigurableApplicationContext context = new SpringApplicationBuilder(SpringChatApplication.class).run(
        "--PORT=0", "--SECRET_KEY_BASE=" + "h".repeat(64), "--ADMIN_TOKEN=health-test",
        "--DATABASE_URL=jdbc:h2:mem:spring-chat-health-test")) {
      URI health = URI.create("http://127.0.0.1:" + context.getBean(Endpoint.class).port() + "/health");
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> up = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(up.statusCode()).isEqualTo(200);
      assertThat(up.body()).isEqualTo("{\"status\":\"ok\"}");

      context.getBean(HikariDataSource.class).close(); // the pool refuses every connection from now on
      HttpResponse<String> down = http.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(down.statusCode()).isEqualTo(503);
      assertThat(down.body()).isEqualTo("{\"status\":\"down\"}");
    }
  }
}
