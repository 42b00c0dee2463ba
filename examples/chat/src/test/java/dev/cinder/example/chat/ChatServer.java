package dev.cinder.example.chat;

import dev.cinder.token.PhoenixToken;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The example application on a free port, with known secrets, plus an HTTP client for its API. */
final class ChatServer implements AutoCloseable {
  static final String SECRET = "s".repeat(64);
  static final String ADMIN = "admin-token-for-tests";
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  final ChatApp app;

  ChatServer() {
    ChatConfig config = new ChatConfig(0, SECRET, ADMIN, List.of("http://localhost:4000"), Duration.ofSeconds(60),
        new ChatConfig.RateLimitSetting(10, Duration.ofSeconds(5)));
    app = ChatApp.start(config);
  }

  String socketUrl() {
    return "ws://127.0.0.1:" + app.port() + "/socket";
  }

  /** A fresh token for a user, through the API. */
  String token(String userId) throws Exception {
    Response response = post("/api/token", "{\"user_id\":\"" + userId + "\"}", null);
    if (response.status() != 200) {
      throw new AssertionError("token request failed: " + response);
    }
    return response.json().get("token").stringValue();
  }

  /** A token signed here, e.g. with a past signing time. */
  static String tokenSignedAt(String userId, java.time.Instant signedAt) {
    return PhoenixToken.forSecret(SECRET).sign(UserSocket.TOKEN_SALT, userId, PhoenixToken.DEFAULT_MAX_AGE, signedAt);
  }

  record Response(int status, String body) {
    JsonNode json() {
      return JSON.readTree(body);
    }
  }

  Response post(String path, String body, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    if (bearer != null) {
      request.header("authorization", "Bearer " + bearer);
    }
    HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  Response get(String path) throws Exception {
    HttpResponse<String> response = HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  @Override
  public void close() {
    app.close();
  }
}
