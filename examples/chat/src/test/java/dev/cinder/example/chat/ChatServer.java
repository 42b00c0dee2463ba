package dev.cinder.example.chat;

import dev.cinder.token.PhoenixToken;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The example application in this JVM on a free port, with known secrets and its own H2 database file in a
 * temporary directory (deleted by {@link #close()}), plus an HTTP client for its API. Which implementation runs is
 * {@link ChatUnderTest#start}'s choice: the plain example unless the build names another.
 */
final class ChatServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  static final String SECRET = "s".repeat(64);
  static final String ADMIN = "admin-token-for-tests";
  static final ChatConfig.RateLimitSetting DEFAULT_RATE = new ChatConfig.RateLimitSetting(10, Duration.ofSeconds(5));
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final ChatConfig config;
  private final Path tempDir;
  private ChatUnderTest app;

  /** On {@code databaseUrl}, or on a fresh H2 file when that is null; started now, or by JUnit when lazy. */
  private ChatServer(ChatConfig.RateLimitSetting rate, String databaseUrl, List<String> origins, boolean lazy) {
    this(rate, databaseUrl, origins, lazy, config -> config);
  }

  private ChatServer(ChatConfig.RateLimitSetting rate, String databaseUrl, List<String> origins, boolean lazy,
      java.util.function.UnaryOperator<ChatConfig> adjust) {
    try {
      tempDir = databaseUrl == null ? Files.createTempDirectory("cinder-chat-test") : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String url = databaseUrl != null ? databaseUrl
        : "jdbc:h2:file:" + tempDir.resolve("chat") + ";WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE";
    config = adjust.apply(new ChatConfig(0, SECRET, ADMIN, origins, Duration.ofSeconds(60), rate, url, ChatConfig.ClusterSetting.local()));
    if (!lazy) {
      start();
    }
  }

  private ChatServer(ChatConfig.RateLimitSetting rate, String databaseUrl, List<String> origins) {
    this(rate, databaseUrl, origins, false);
  }

  /**
   * A server for a whole test class, started before its first test and closed after its last:
   * {@code @RegisterExtension static final ChatServer server = ChatServer.perClass();}.
   */
  static ChatServer perClass() {
    return new ChatServer(DEFAULT_RATE, null, List.of("http://localhost:4000"), true);
  }

  static ChatServer perClass(int rateCount, Duration rateWindow) {
    return new ChatServer(new ChatConfig.RateLimitSetting(rateCount, rateWindow), null, List.of("http://localhost:4000"), true);
  }

  /** Per class, with these budgets for {@code typing} and {@code update_status}. */
  static ChatServer perClassWithEventLimits(ChatConfig.RateLimitSetting typing, ChatConfig.RateLimitSetting status) {
    return new ChatServer(DEFAULT_RATE, null, List.of("http://localhost:4000"), true, c -> c.withEventLimits(typing, status));
  }

  private void start() {
    try {
      app = ChatUnderTest.start(config);
    } catch (RuntimeException | Error e) {
      if (tempDir != null) {
        deleteTree(tempDir);
      }
      throw e;
    }
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  /** The contract's defaults (RATE_LIMIT 10/5000), on a fresh H2 database. */
  ChatServer() {
    this(DEFAULT_RATE, null, List.of("http://localhost:4000"));
  }

  static ChatServer withRateLimit(int count, Duration window) {
    return new ChatServer(new ChatConfig.RateLimitSetting(count, window), null, List.of("http://localhost:4000"));
  }

  /** On the given database (null: a fresh H2 file) with the given rate limit. */
  static ChatServer create(ChatConfig.RateLimitSetting rate, String databaseUrl) {
    return new ChatServer(rate, databaseUrl, List.of("http://localhost:4000"));
  }

  /** Stops the application and starts it again on the same database (on a new port). */
  void restart() {
    app.close();
    app = ChatUnderTest.start(config);
  }

  int port() {
    return app.port();
  }

  String socketUrl() {
    return "ws://127.0.0.1:" + app.port() + "/socket";
  }

  ChatUnderTest app() {
    return app;
  }

  String pageUrl() {
    return "http://127.0.0.1:" + app.port() + "/";
  }

  /** A fresh token for a user, through the API. */
  String token(String userId) throws Exception {
    return tokenFrom(app.port(), userId);
  }

  static String tokenFrom(int port, String userId) throws Exception {
    Response response = post(port, "/api/token", "{\"user_id\":\"" + userId + "\"}", null);
    if (response.status() != 200) {
      throw new AssertionError("token request failed: " + response);
    }
    return response.json().get("token").stringValue();
  }

  /** A token signed here, e.g. with a past signing time. */
  static String tokenSignedAt(String userId, java.time.Instant signedAt) {
    return PhoenixToken.forSecret(SECRET).sign(UserSocket.TOKEN_SALT, userId, PhoenixToken.DEFAULT_MAX_AGE, signedAt);
  }

  record Response(int status, String body, HttpResponse<byte[]> raw) {
    JsonNode json() {
      return JSON.readTree(body);
    }

    String header(String name) {
      return raw.headers().firstValue(name).orElse(null);
    }
  }

  Response post(String path, String body, String bearer) throws Exception {
    return post(app.port(), path, body, bearer);
  }

  static Response post(int port, String path, String body, String bearer) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .header("content-type", "application/json");
    if (bearer != null) {
      request.header("authorization", "Bearer " + bearer);
    }
    return send(request.build());
  }

  Response get(String path) throws Exception {
    return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path)).build());
  }

  private static Response send(HttpRequest request) throws Exception {
    HttpResponse<byte[]> response = HTTP.send(request, HttpResponse.BodyHandlers.ofByteArray());
    return new Response(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8), response);
  }

  @Override
  public void close() {
    if (app != null) {
      app.close();
    }
    if (tempDir != null) {
      deleteTree(tempDir);
    }
  }

  static void deleteTree(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + root, e);
    }
  }
}
