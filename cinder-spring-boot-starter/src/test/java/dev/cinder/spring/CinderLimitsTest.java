package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.endpoint.Endpoint;
import dev.cinder.http.HttpResponse;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code cinder.*} limits set as properties, applied to the official client over real sockets. */
class CinderLimitsTest {
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

  /** A route on Cinder's own port, added with a customizer: what {@code cinder.http.*} limits apply to. */
  @Configuration(proxyBeanMethods = false)
  static class EchoRoute {
    @Bean
    CinderEndpointCustomizer echoRoute() {
      return builder -> builder.post("/api/echo", request -> HttpResponse.json(200, Map.of("length",
          request.bodyText().length())));
    }
  }

  private Endpoint start(String... properties) {
    context = new SpringApplicationBuilder(ChatApp.class, EchoRoute.class).web(WebApplicationType.NONE)
        .properties("cinder.port=0", "cinder.host=127.0.0.1",
            "cinder.secret-key-base=0123456789abcdef0123456789abcdef")
        .properties(properties).run();
    return context.getBean(Endpoint.class);
  }

  private static String url(Endpoint endpoint) {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket";
  }

  @Test
  void aMessageOverMaxFrameSizeClosesTheConnectionWith1009() {
    Endpoint endpoint = start("cinder.socket.max-frame-size=2KB");
    JsSocket socket = js.connect(url(endpoint), Map.of("user", "ann"));
    JsChannel lobby = socket.channel("room:lobby");
    assertThat(lobby.join().status()).isEqualTo("ok");
    // Under the limit: answered.
    assertThat(lobby.push("greet", Map.of("name", "a".repeat(1_500))).status()).isEqualTo("ok");
    // Over it (the message is the 3,000 bytes of the name and its envelope): "message too big".
    lobby.pushNoReply("greet", Map.of("name", "b".repeat(3_000)));
    assertThat(socket.awaitClose(WAIT)).isEqualTo(1009);
    socket.disconnect();
  }

  @Test
  void aJoinPastMaxChannelsIsRefused() {
    Endpoint endpoint = start("cinder.socket.max-channels=2");
    JsSocket socket = js.connect(url(endpoint), Map.of("user", "bo"));
    assertThat(socket.channel("room:a").join().status()).isEqualTo("ok");
    assertThat(socket.channel("room:b").join().status()).isEqualTo("ok");
    JsReply third = socket.channel("room:c").join();
    assertThat(third.status()).isEqualTo("error");
    assertThat(third.response().get("reason").stringValue()).isEqualTo("too many channels joined");
    socket.disconnect();
  }

  @Test
  void aBodyOverMaxBodySizeGets413() throws Exception {
    Endpoint endpoint = start("cinder.http.max-body-size=1KB");
    HttpClient http = HttpClient.newHttpClient();
    URI echo = URI.create("http://127.0.0.1:" + endpoint.port() + "/api/echo");
    var small = http.send(HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofString("x".repeat(1_024)))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(small.statusCode()).isEqualTo(200);
    assertThat(small.body()).isEqualTo("{\"length\":1024}");
    var large = http.send(HttpRequest.newBuilder(echo).POST(HttpRequest.BodyPublishers.ofString("x".repeat(1_025)))
        .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(large.statusCode()).isEqualTo(413);
  }

  @Test
  void theDrainClosesSocketsInBatchesOfTheConfiguredSize() {
    Endpoint endpoint = start("cinder.drain.batch-size=1", "cinder.drain.batch-interval=0s");
    List<JsSocket> sockets = new ArrayList<>();
    for (String user : List.of("a", "b", "c")) {
      JsSocket socket = js.connect(url(endpoint), Map.of("user", user));
      assertThat(socket.channel("room:lobby").join().status()).isEqualTo("ok");
      sockets.add(socket);
    }
    context.close();
    for (JsSocket socket : sockets) {
      assertThat(socket.awaitClose(WAIT)).isEqualTo(1012);
      socket.disconnect();
    }
    // One socket per batch: three batches (with Cinder's default of 10,000 per batch, one).
    assertThat(endpoint.drainStatus().batchesSent()).isEqualTo(3);
  }
}
