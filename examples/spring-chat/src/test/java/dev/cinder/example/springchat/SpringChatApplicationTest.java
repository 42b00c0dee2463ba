package dev.cinder.example.springchat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.example.chat.ChatConfig.RateLimitSetting;
import dev.cinder.example.chat.ChatUnderTest;
import dev.cinder.example.chat.RoomChannel;
import dev.cinder.example.chat.UserSocket;
import dev.cinder.presence.Presence;
import dev.cinder.spring.CinderProperties;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;

/**
 * The application's wiring, with Spring's test support: the environment variables become Cinder's and the chat's
 * properties, missing secrets are generated, each join gets a channel bean of its own, and HTTP shares the socket's
 * port. What the application does for its clients is checked by the plain example's contract tests, run here
 * against this application (see this module's pom).
 */
@SpringBootTest(args = {"--PORT=0", "--DATABASE_URL=jdbc:h2:mem:spring-chat-app-test", "--RATE_LIMIT=3/60000",
    "--ALLOWED_ORIGINS=http://a.example, http://b.example", "--SOCKET_TIMEOUT_MS=1500", "--NODE_NAME=node-under-test",
    "--PRESENCE_DOWN_MS=4000", "--INBOUND_LIMIT=40/2000"})
class SpringChatApplicationTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @Autowired
  ChatProperties chat;
  @Autowired
  CinderProperties cinder;
  @Autowired
  Endpoint endpoint;
  @Autowired
  ApplicationContext context;

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + endpoint.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theEnvironmentVariablesBecomeProperties() {
    assertThat(cinder.port()).isZero();
    assertThat(cinder.socket().checkOrigin()).containsExactly("http://a.example", "http://b.example");
    assertThat(cinder.socket().idleTimeout()).isEqualTo(Duration.ofMillis(1500));
    assertThat(cinder.socket().longPoll()).isTrue();
    assertThat(cinder.pubsub().type()).isEqualTo(CinderProperties.Type.LOCAL);
    assertThat(cinder.pubsub().redis().url()).isEqualTo("redis://127.0.0.1:6379");
    assertThat(endpoint.pubSub().nodeName()).isEqualTo("node-under-test");
    assertThat(chat.rateLimit()).isEqualTo(new RateLimitSetting(3, Duration.ofMinutes(1)));
    assertThat(chat.typingRateLimit()).isEqualTo(new RateLimitSetting(50, Duration.ofSeconds(5)));
    assertThat(chat.statusRateLimit()).isEqualTo(new RateLimitSetting(10, Duration.ofSeconds(5)));
    assertThat(chat.inboundLimit()).isEqualTo(new RateLimitSetting(40, Duration.ofSeconds(2)));
    // INBOUND_LIMIT reaches the socket as Cinder's own properties (defaults 500 and 100): bursts of 40, 20 a second.
    assertThat(cinder.socket().inboundBurst()).isEqualTo(40);
    assertThat(cinder.socket().inboundRate()).isEqualTo(20);
    assertThat(chat.presenceDownPeriod()).isEqualTo(Duration.ofSeconds(4));
  }

  @Test
  void missingSecretsAreGenerated() {
    assertThat(cinder.secretKeyBase()).matches("[0-9a-f]{64}");
    assertThat(chat.adminToken()).matches("[0-9a-f]{32}");
  }

  @Test
  void eachJoinGetsAChannelBeanOfItsOwnFromOneSocketBean() {
    assertThat(context.getBean(RoomChannel.class)).isNotSameAs(context.getBean(RoomChannel.class));
    assertThat(context.getBeansOfType(UserSocket.class)).hasSize(1);
    assertThat(context.getBeansOfType(Presence.class)).hasSize(1);
  }

  @Test
  void thePageHealthAndMetricsShareTheSocketsPort() throws Exception {
    HttpResponse<String> page = get("/");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("<script");
    assertThat(get("/vendor/phoenix.mjs").statusCode()).as("the official client, from the plain example's jar").isEqualTo(200);
    assertThat(get("/health").body()).isEqualTo("{\"status\":\"ok\"}");
    assertThat(get("/metrics").body()).contains("cinder_sockets ", "hikaricp_connections");
  }

  @Test
  void thePlainExamplesContractTestsRunAgainstThisApplication() {
    assertThat(System.getProperty(ChatUnderTest.IMPLEMENTATION)).isEqualTo(SpringChatUnderTest.class.getName());
    assertThat(System.getProperty("chat.mainClass")).isEqualTo(SpringChatApplication.class.getName());
  }
}
