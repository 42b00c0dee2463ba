package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Actuator's own HTTP endpoints in a servlet application (Tomcat on one free port, Cinder on another), read while
 * the official client is connected, during the drain and after it.
 */
class CinderActuatorHttpTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ObjectMapper JSON = new ObjectMapper();

  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private final HttpClient http = HttpClient.newHttpClient();
  private ConfigurableApplicationContext context;

  @AfterEach
  void closeContext() {
    if (context != null) {
      context.close();
    }
  }

  /**
   * Holds the web server's shutdown until the test lets it go: its phase is between Cinder's (which stops first)
   * and the web server's, so the health endpoint can still be read once the drain is over.
   */
  static class WebServerHold implements SmartLifecycle {
    final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean running;

    @Override
    public void start() {
      running = true;
    }

    @Override
    public void stop() {
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running = false;
    }

    @Override
    public boolean isRunning() {
      return running;
    }

    @Override
    public int getPhase() {
      return CinderEndpointLifecycle.PHASE - 256;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Hold {
    @Bean
    WebServerHold webServerHold() {
      return new WebServerHold();
    }
  }

  private record Answer(int status, JsonNode body) {}

  private Answer get(String path) {
    int port = context.getEnvironment().getProperty("local.server.port", Integer.class);
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void healthInfoAndMetricsOverHttpThroughTheDrain() throws Exception {
    context = new SpringApplicationBuilder(ChatApp.class, Hold.class).web(WebApplicationType.SERVLET).properties(
        "server.port=0", "server.address=127.0.0.1", "cinder.port=0", "cinder.host=127.0.0.1",
        "cinder.secret-key-base=0123456789abcdef0123456789abcdef", "cinder.node-name=web-node-1",
        "management.endpoints.web.exposure.include=health,info,metrics",
        "management.endpoint.health.show-details=always").run();
    Endpoint endpoint = context.getBean(Endpoint.class);
    int cinderPort = context.getEnvironment().getProperty("local.cinder.port", Integer.class);
    int webPort = context.getEnvironment().getProperty("local.server.port", Integer.class);
    assertThat(cinderPort).isEqualTo(endpoint.port()).isPositive().isNotEqualTo(webPort);

    JsSocket socket = js.connect("ws://127.0.0.1:" + cinderPort + "/socket", Map.of("user", "ann"));
    assertThat(socket.channel("room:lobby").join().status()).isEqualTo("ok");
    assertThat(socket.channel("hold:1").join().status()).isEqualTo("ok");

    Answer health = get("/actuator/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asString()).isEqualTo("UP");
    JsonNode cinder = health.body().path("components").path("cinder");
    assertThat(cinder.path("status").asString()).isEqualTo("UP");
    assertThat(cinder.path("details").path("port").asInt()).isEqualTo(cinderPort);
    assertThat(cinder.path("details").path("node").asString()).isEqualTo("web-node-1");
    assertThat(cinder.path("details").path("phase").asString()).isEqualTo("SERVING");
    assertThat(cinder.path("details").path("sockets").asInt()).isEqualTo(1);

    Answer info = get("/actuator/info");
    assertThat(info.status()).isEqualTo(200);
    assertThat(info.body().path("cinder")).isEqualTo(JSON.readTree(
        "{\"node\":\"web-node-1\",\"port\":" + cinderPort + ",\"sockets\":1,\"channels\":2}"));

    Answer channels = get("/actuator/metrics/cinder.channels");
    assertThat(channels.status()).isEqualTo(200);
    assertThat(channels.body().path("measurements").get(0).path("value").asDouble()).isEqualTo(2.0);
    Answer sockets = get("/actuator/metrics/cinder.sockets");
    assertThat(sockets.body().path("measurements").get(0).path("value").asDouble()).isEqualTo(1.0);
    // The join timer is recorded as the reply goes out, so it may lag the client's callback by a moment.
    await().atMost(WAIT).until(() -> get("/actuator/metrics/cinder.channel.join?tag=outcome:ok").body()
        .path("measurements").get(0).path("value").asDouble() == 2.0);
    assertThat(get("/actuator/metrics/cinder.channel.join").body().path("measurements").get(0).path("statistic")
        .asString()).isEqualTo("COUNT");

    ChatApp.Gate gate = context.getBean(ChatApp.Gate.class);
    WebServerHold hold = context.getBean(WebServerHold.class);
    ConfigurableApplicationContext closing = context;
    CompletableFuture<Void> closed = CompletableFuture.runAsync(closing::close);
    // hold:1's terminate waits at the gate: the drain is under way, so a readiness check sends no one here.
    await().atMost(WAIT).until(() -> get("/actuator/health/cinder").body().path("status").asString()
        .equals("OUT_OF_SERVICE"));
    Answer draining = get("/actuator/health/cinder");
    assertThat(draining.status()).isEqualTo(503);
    assertThat(draining.body().path("details").path("phase").asString()).isEqualTo("DRAINING");
    assertThat(socket.awaitClose(WAIT)).isEqualTo(1012);

    gate.open();
    // The drain is over; the web server is still up (held), and says so.
    await().atMost(WAIT).until(() -> get("/actuator/health/cinder").body().path("status").asString().equals("DOWN"));
    Answer down = get("/actuator/health/cinder");
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.body().path("details").path("phase").asString()).isEqualTo("STOPPED");
    assertThat(closed).isNotDone();
    hold.release.countDown();
    closed.get(10, TimeUnit.SECONDS);
    socket.disconnect();
  }
}
