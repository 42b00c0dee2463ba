package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A Spring Boot application on a free port, driven by the official phoenix.js client, then shut down. The test
 * runs the application itself (rather than {@code @SpringBootTest}) because it closes the context midway.
 */
class CinderApplicationTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private ConfigurableApplicationContext context;

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  private static ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(ChatApp.class).web(WebApplicationType.NONE).properties(
        "cinder.port=0", "cinder.host=127.0.0.1", "cinder.secret-key-base=0123456789abcdef0123456789abcdef",
        "cinder.node-name=spring-node-1").run();
  }

  @Test
  void channelBeansServeTheOfficialClientAndTheContextCloseDrainsIt() {
    context = start();
    Endpoint endpoint = context.getBean(Endpoint.class);
    CinderHealthIndicator health = context.getBean(CinderHealthIndicator.class);
    CinderInfoContributor info = context.getBean(CinderInfoContributor.class);
    MeterRegistry meters = context.getBean(MeterRegistry.class);
    assertThat(endpoint.port()).isPositive();
    JsSocket socket = js.connect("ws://127.0.0.1:" + endpoint.port() + "/socket", Map.of("user", "ann"));
    JsChannel lobby = socket.channel("room:lobby");
    JsReply joined = lobby.join();
    assertThat(joined.status()).isEqualTo("ok");
    JsChannel other = socket.channel("room:other");
    JsReply otherJoined = other.join();
    assertThat(otherJoined.status()).isEqualTo("ok");
    // Prototype scope: each join got its own channel instance.
    assertThat(otherJoined.response().get("instance").asLong()).isNotEqualTo(joined.response().get("instance").asLong());

    JsReply reply = lobby.push("greet", Map.of("name", "Ann"));
    assertThat(reply.status()).isEqualTo("ok");
    assertThat(reply.response().get("greeting").stringValue()).isEqualTo("Hello, Ann (#1)");
    // The same singleton service behind both channel instances.
    assertThat(other.push("greet", Map.of("name", "Bo")).response().get("greeting").stringValue())
        .isEqualTo("Hello, Bo (#2)");

    Health up = health.health();
    assertThat(up.getStatus()).isEqualTo(Status.UP);
    assertThat(up.getDetails()).containsEntry("port", endpoint.port()).containsEntry("node", "spring-node-1")
        .containsEntry("sockets", 1);
    Info.Builder builder = new Info.Builder();
    info.contribute(builder);
    assertThat(builder.build().getDetails().get("cinder")).isEqualTo(Map.of(
        "node", "spring-node-1", "port", endpoint.port(), "sockets", 1L, "channels", 2L));
    assertThat(meters.get("cinder.channels").gauge().value()).isEqualTo(2.0);

    context.close();
    // The drain closed the socket with 1012 ("service restart"): the client reconnects to another node.
    assertThat(socket.awaitClose(WAIT)).isEqualTo(1012);
    await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.DOWN));
    assertThat(endpoint.drainStatus().socketsLeft()).isZero();
    socket.disconnect();
  }

  @Test
  void healthIsOutOfServiceWhileTheDrainWaitsForChannelsToEnd() throws Exception {
    context = start();
    Endpoint endpoint = context.getBean(Endpoint.class);
    CinderHealthIndicator health = context.getBean(CinderHealthIndicator.class);
    ChatApp.Gate gate = context.getBean(ChatApp.Gate.class);
    JsSocket socket = js.connect("ws://127.0.0.1:" + endpoint.port() + "/socket", Map.of("user", "cy"));
    assertThat(socket.channel("hold:1").join().status()).isEqualTo("ok");
    assertThat(health.health().getStatus()).isEqualTo(Status.UP);

    ConfigurableApplicationContext closing = context;
    CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
    // The channel's terminate waits at the gate, so the drain is still running: not ready for new clients.
    await().atMost(WAIT).until(() -> health.health().getStatus().equals(Status.OUT_OF_SERVICE));
    assertThat(health.health().getDetails()).containsEntry("phase", "DRAINING").containsEntry("sockets", 1);
    assertThat(closed).isNotDone();
    gate.open();
    closed.get(10, TimeUnit.SECONDS);
    assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
    assertThat(endpoint.drainStatus().socketsLeft()).isZero();
    socket.disconnect();
  }
}
