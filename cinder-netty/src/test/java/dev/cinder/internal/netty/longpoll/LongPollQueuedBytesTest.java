package dev.cinder.internal.netty.longpoll;

import dev.cinder.pubsub.LocalPubSub;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.HttpOptions;
import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.netty.HttpServer;
import dev.cinder.internal.netty.http.HttpLimits;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.token.PhoenixToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code queuedBytes()} of a long-poll session on a real server: what is sent while the client does not poll is
 * counted, byte for byte, until its next poll takes it.
 */
class LongPollQueuedBytesTest {
  private static final HttpOptions OPTIONS = HttpOptions.defaults();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Telemetry telemetry = new Telemetry();
  private final PubSub pubSub = new LocalPubSub(telemetry);
  private final SocketMount mount = new SocketMount("/socket", new SocketHandler() {
    @Override
    public void routes(Routes routes) {}

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok(Map.of());
    }
  }, SocketOptions.defaults().longPoll(true), pubSub, telemetry);
  private final LongPollSessions sessions =
      new LongPollSessions(PhoenixToken.forSecret("q".repeat(64)), Duration.ofSeconds(5), pubSub);
  private final HttpServer server = new HttpServer(1, HttpServer.Transport.NIO);

  @AfterEach
  void stop() {
    server.stop();
    sessions.close();
  }

  private JsonNode get(int port, String query) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + port + "/socket/longpoll?vsn=2.0.0" + query)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  @Test
  void whatTheClientHasNotPolledIsCountedUntilItPolls() throws Exception {
    HttpLimits limits = new HttpLimits(OPTIONS.headerTimeout(), OPTIONS.bodyTimeout(), OPTIONS.keepAliveTimeout(),
        OPTIONS.maxBodySize(), OPTIONS.maxLongPollBodySize(), OPTIONS.maxBodyBytesInFlight(),
        OPTIONS.maxRequestLineLength(), OPTIONS.maxHeaderSize(), OPTIONS.maxPipelinedRequests());
    int port = server.start("127.0.0.1", 0, List.of(mount), new HttpRoutes(), sessions, limits, telemetry).getPort();

    JsonNode opened = get(port, "");
    assertThat(opened.get("status").asInt()).isEqualTo(410);
    String token = opened.get("token").asString();
    LongPollSession session = sessions.local(sessions.address(token));
    assertThat(session.queuedBytes()).isZero();

    List<String> pushed = List.of("[null,null,\"room\",\"a\",{}]", "[null,null,\"room\",\"é\",{}]");
    pushed.forEach(text -> session.send(Frame.text(text)));
    long bytes = pushed.stream().mapToLong(text -> text.getBytes(StandardCharsets.UTF_8).length).sum();
    assertThat(session.queuedBytes()).isEqualTo(bytes);

    JsonNode polled = get(port, "&token=" + token);
    assertThat(polled.get("status").asInt()).isEqualTo(200);
    assertThat(polled.get("messages")).hasSize(2);
    assertThat(session.queuedBytes()).isZero();
  }
}
