package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

/**
 * The usual Spring Boot test of a web application, {@code RANDOM_PORT}, with {@code cinder.port=0}: both ports are
 * free ones, injected the same way ({@code local.server.port}, {@code local.cinder.port}).
 */
@SpringBootTest(classes = ChatApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "cinder.port=0", "cinder.host=127.0.0.1", "cinder.secret-key-base=0123456789abcdef0123456789abcdef",
    "management.endpoints.web.exposure.include=health,info"})
@DirtiesContext
class CinderRandomPortTest {
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  @LocalServerPort
  int webPort;

  @Value("${local.cinder.port}")
  int cinderPort;

  @Test
  void bothPortsAreInjectedAndServe() throws Exception {
    assertThat(cinderPort).isPositive().isNotEqualTo(webPort).isNotEqualTo(4000);
    JsSocket socket = js.connect("ws://127.0.0.1:" + cinderPort + "/socket", Map.of("user", "dee"));
    assertThat(socket.channel("room:lobby").join().status()).isEqualTo("ok");
    HttpResponse<String> info = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + webPort + "/actuator/info")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(info.statusCode()).isEqualTo(200);
    assertThat(info.body()).contains("\"port\":" + cinderPort).contains("\"sockets\":1");
    socket.disconnect();
  }
}
