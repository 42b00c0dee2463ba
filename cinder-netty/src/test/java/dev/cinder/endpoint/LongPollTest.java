package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJs;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The long-poll transport, driven by the official client's LongPoll and by hand for what it never sends. */
class LongPollTest {
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final Duration RAW_WINDOW = Duration.ofSeconds(3);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static TestServer server;
  /**
   * For the tests that speak HTTP by hand, step by step: a window long enough that a slow machine between two of
   * their requests does not end the session (1.5 windows without a poll do).
   */
  private static TestServer rawServer;
  private static dev.cinder.presence.Presence presence;
  private static PhoenixJs js;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofMillis(1000)));
    rawServer = new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(RAW_WINDOW));
    presence = dev.cinder.presence.Presence.create(server.endpoint.pubSub(), "lp");
    server.socket.presence = presence;
    js = PhoenixJs.start();
  }

  @AfterAll
  static void stop() {
    js.close();
    presence.close();
    server.close();
    rawServer.close();
  }

  @AfterEach
  void noDriverErrors() {
    js.assertNoDriverErrors();
  }

  private JsSocket connect(String user) {
    JsSocket socket = js.connect(server.socketUrl(),
        JsSocketOptions.create().params(Map.of("user", user)).transport(JsTransport.LONGPOLL));
    assertThat(socket.transport()).isEqualTo("LongPoll");
    return socket;
  }

  private static String longPollUrl(TestServer target, String query) {
    return "http://127.0.0.1:" + target.endpoint.port() + "/socket/longpoll?" + query;
  }

  private record Answer(int httpStatus, JsonNode body) {}

  /** A GET to the step-by-step server. */
  private Answer get(String query) throws Exception {
    return get(rawServer, query);
  }

  private Answer get(TestServer target, String query) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(longPollUrl(target, query))).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), JSON.readTree(r.body()));
  }

  /** A POST to the step-by-step server. */
  private Answer post(String token, String contentType, String body) throws Exception {
    return post(rawServer, token, contentType, body);
  }

  private Answer post(TestServer target, String token, String contentType, String body) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(longPollUrl(target, "vsn=2.0.0")))
        .header("x-phoenix-longpoll-token", token).header("content-type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }

  @Test
  void joinPushReplyBroadcastAndIntercept() {
    JsChannel a = connect("lp1").channel("test:lp");
    JsChannel b = connect("lp2").channel("test:lp");
    JsReply joined = a.join();
    assertThat(joined.status()).isEqualTo("ok");
    b.join();
    assertThat(a.push("echo", Map.of("x", "y")).response().get("x").stringValue()).isEqualTo("y");
    a.push("broadcast", Map.of("event", "news", "payload", Map.of("n", 1)));
    JsMessage news = b.awaitMessage("news", WAIT);
    assertThat(news.payload().get("n").intValue()).isEqualTo(1);
    assertThat(news.joinRef()).isNull();
    a.push("broadcast", Map.of("event", "shout", "payload", Map.of()));
    assertThat(b.awaitMessage("shout", WAIT).payload().get("seen_by").stringValue()).isEqualTo("lp2");
    JsReply later = a.push("reply_later", Map.of());
    assertThat(later.response().get("later").booleanValue()).isTrue();
  }

  @Test
  void presenceWorksOverLongPoll() {
    JsChannel first = connect("lpa").channel("presence:lp").trackPresence();
    first.join(Map.of("device", "old-browser"));
    JsSocket secondSocket = connect("lpb");
    JsChannel second = secondSocket.channel("presence:lp").trackPresence();
    second.join(Map.of("device", "proxy"));
    JsonNode seenByFirst = first.awaitPresenceState(s -> s.has("lpa") && s.has("lpb"), WAIT);
    assertThat(seenByFirst.path("lpb").path("metas").get(0).path("device").stringValue()).isEqualTo("proxy");
    second.awaitPresenceState(s -> s.has("lpa") && s.has("lpb"), WAIT);
    secondSocket.disconnect();
    first.awaitPresenceState(s -> s.has("lpa") && !s.has("lpb"), Duration.ofSeconds(10));
  }

  @Test
  void socketIdDisconnectEndsTheSessionAndTheClientComesBack() {
    JsSocket socket = connect("lpdc");
    JsChannel room = socket.channel("test:lpdc");
    room.join();
    server.endpoint.broadcast("test_socket:lpdc", "disconnect", Map.of());
    assertThat(socket.awaitClose(WAIT)).isEqualTo(3410); // the client's own code for "session gone"
    socket.awaitOpen(WAIT);
    await().atMost(WAIT).until(() -> "joined".equals(room.state()));
  }

  @Test
  void handshakeAndPollShapesFollowThePhoenixProtocol() throws Exception {
    Answer opened = get("user=raw&vsn=2.0.0");
    assertThat(opened.httpStatus()).isEqualTo(200);
    assertThat(opened.body().get("status").intValue()).isEqualTo(410);
    assertThat(opened.body().get("messages").size()).isZero();
    String token = opened.body().get("token").stringValue();
    Answer posted = post(token, "application/x-ndjson", "[\"1\",\"1\",\"test:raw\",\"phx_join\",{}]\n[null,\"2\",\"phoenix\",\"heartbeat\",{}]");
    assertThat(posted.body().get("status").intValue()).isEqualTo(200);
    Answer polled = get("user=raw&vsn=2.0.0&token=" + token);
    assertThat(polled.body().get("status").intValue()).isEqualTo(200);
    assertThat(polled.body().get("token").stringValue()).isEqualTo(token);
    assertThat(polled.body().get("messages").get(0).stringValue())
        .isEqualTo("[\"1\",\"1\",\"test:raw\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(polled.body().get("messages").get(1).stringValue())
        .isEqualTo("[null,\"2\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    Answer empty = get("user=raw&vsn=2.0.0&token=" + token); // nothing within the window
    assertThat(empty.body().get("status").intValue()).isEqualTo(204);
    assertThat(get("user=refuse&vsn=2.0.0").body().get("status").intValue()).isEqualTo(403);
  }

  @Test
  void forgedOrForeignSessionTokensFindNothing() throws Exception {
    String token = get("user=victim&vsn=2.0.0").body().get("token").stringValue();
    String forged = token.substring(0, token.length() - 3) + "AAA";
    assertThat(post(forged, "application/x-ndjson", "[\"1\",\"1\",\"test:x\",\"phx_join\",{}]").body().get("status").intValue()).isEqualTo(410);
    // A token signed by another endpoint's secret is forged too.
    String foreign = dev.cinder.token.PhoenixToken.forSecret("b".repeat(64)).sign("cinder long-poll session", "whatever");
    assertThat(post(foreign, "application/x-ndjson", "[\"1\",\"1\",\"test:x\",\"phx_join\",{}]").body().get("status").intValue()).isEqualTo(410);
    // A GET with a forged token and no valid user is a refused connect, not the victim's session.
    assertThat(get("vsn=2.0.0&token=" + forged).body().get("status").intValue()).isEqualTo(403);
  }

  @Test
  void badBodiesAre4xxAndTheSessionKeepsWorking() throws Exception {
    String token = get("user=bad&vsn=2.0.0").body().get("token").stringValue();
    Answer malformed = post(token, "application/x-ndjson", "[\"1\",\"1\",\"test:bad\",\"phx_join\",{");
    assertThat(malformed.httpStatus()).isEqualTo(400);
    Answer badBase64 = post(token, "application/x-ndjson", "%%% not base64");
    assertThat(badBase64.httpStatus()).isEqualTo(400);
    Answer tooBig = post(token, "application/x-ndjson", "[\"1\",\"1\",\"test:bad\",\"echo\",{\"x\":\"" + "y".repeat(1 << 20) + "\"}]");
    assertThat(tooBig.httpStatus()).isEqualTo(400);
    Answer ok = post(token, "application/x-ndjson", "[\"1\",\"1\",\"test:bad\",\"phx_join\",{}]");
    assertThat(ok.body().get("status").intValue()).isEqualTo(200);
    assertThat(get("user=bad&vsn=2.0.0&token=" + token).body().get("messages").get(0).stringValue()).contains("\"status\":\"ok\"");
  }

  @Test
  void anAbandonedSessionIsReleased() throws Exception {
    String token = get("user=gone&vsn=2.0.0").body().get("token").stringValue();
    post(token, "application/x-ndjson", "[\"1\",\"1\",\"test:abandoned\",\"phx_join\",{}]");
    assertThat(rawServer.endpoint.longPollSessionCount()).as("the session is open").isPositive();
    // 1.5 windows without a poll, plus a sweep, end the session and its channels.
    await().atMost(Duration.ofSeconds(20))
        .until(() -> rawServer.socket.terminations.contains("test:abandoned:SOCKET_CLOSED"));
    assertThat(get("user=gone&vsn=2.0.0&token=" + token).body().get("status").intValue())
        .as("the released session's token finds nothing").isEqualTo(410);
    // Every session of this server's tests is released in the end, and with it every socket.
    await().atMost(Duration.ofSeconds(20)).until(() -> rawServer.endpoint.longPollSessionCount() == 0
        && rawServer.endpoint.telemetry().sockets() == 0);
  }

  @Test
  void optionsPreflightAnswersCors() throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(longPollUrl(rawServer, "vsn=2.0.0")))
        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
        .header("access-control-request-headers", "x-phoenix-longpoll-token").build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("access-control-allow-origin")).hasValue("*");
    assertThat(r.headers().firstValue("access-control-allow-headers")).hasValue("x-phoenix-longpoll-token");
    assertThat(r.headers().firstValue("access-control-allow-methods")).hasValue("get, post, options");
  }

  @Test
  void theClientFallsBackToLongPollWhenWebSocketsAreUnavailable() {
    try (TestServer noWebSocket = new TestServer(SocketOptions.defaults().websocket(false).longPoll(true))) {
      JsSocket socket = js.connect(noWebSocket.socketUrl(), JsSocketOptions.create().params(Map.of("user", "fb"))
          .longPollFallback(Duration.ofMillis(500)).awaitOpen(false));
      await().atMost(WAIT).until(() -> "LongPoll".equals(socket.transport()) && "open".equals(socket.connectionState()));
      JsChannel room = socket.channel("test:fallback");
      assertThat(room.join().status()).isEqualTo("ok");
      assertThat(room.push("echo", Map.of("via", "longpoll")).response().get("via").stringValue()).isEqualTo("longpoll");
      socket.disconnect();
    }
  }
}
