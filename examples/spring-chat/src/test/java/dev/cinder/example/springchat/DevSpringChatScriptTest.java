package dev.cinder.example.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.example.chat.ChatProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./dev spring-chat}, the README's one command, from this build: it serves, and stops cleanly on SIGTERM. */
class DevSpringChatScriptTest {
  private static final String ADMIN = "dev-script-admin-token";
  private static final Map<String, String> ENV = Map.of("SECRET_KEY_BASE", "d".repeat(64), "ADMIN_TOKEN", ADMIN,
      "DATABASE_URL", "jdbc:h2:mem:dev-spring-chat-test");

  @Test
  void theReadmesCommandServesTheChatAndStopsOnSigterm() throws Exception {
    try (ChatProcess app = ChatProcess.startDevScript("spring-chat", ENV)) {
      int port = app.awaitPort(Duration.ofSeconds(90));
      HttpClient http = HttpClient.newHttpClient();
      HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      HttpResponse<String> broadcast = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/broadcast"))
          .header("authorization", "Bearer " + ADMIN)
          .POST(HttpRequest.BodyPublishers.ofString("{\"topic\":\"room:lobby\",\"event\":\"hello\",\"payload\":{}}"))
          .build(), HttpResponse.BodyHandlers.ofString());
      assertThat(broadcast.statusCode()).isEqualTo(202);
      assertThat(app.output()).contains("node ", "local PubSub").doesNotContain("is not set: generated");
      assertThat(app.stop()).as("stopped by SIGTERM through Spring's shutdown hook").isEqualTo(143);
      assertThat(app.output()).doesNotContain("ERROR", "Exception");
    }
  }
}
