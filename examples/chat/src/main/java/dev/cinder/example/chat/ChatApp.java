package dev.cinder.example.chat;

import dev.cinder.CheckOrigin;
import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.http.HttpResponse;
import dev.cinder.token.PhoenixToken;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example chat server: {@code java dev.cinder.example.chat.ChatApp}, configured by environment variables. */
public final class ChatApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatApp.class);

  private final Endpoint endpoint;

  private ChatApp(Endpoint endpoint) {
    this.endpoint = endpoint;
  }

  /** Builds and starts the application; {@code config.port()} 0 picks a free port. */
  public static ChatApp start(ChatConfig config) {
    PubSub pubSub = PubSub.local();
    PhoenixToken tokens = PhoenixToken.forSecret(config.secretKeyBase());
    ChatServices services = new ChatServices();
    AdminApi api = new AdminApi(pubSub, tokens, config.adminToken());
    SocketOptions options = SocketOptions.defaults()
        .idleTimeout(config.socketTimeout())
        .checkOrigin(CheckOrigin.list(config.allowedOrigins()));
    Endpoint endpoint = Endpoint.builder()
        .port(config.port())
        .secretKeyBase(config.secretKeyBase())
        .pubSub(pubSub)
        .socket("/socket", new UserSocket(tokens, services), options)
        .post("/api/token", api::token)
        .post("/api/broadcast", api::broadcast)
        .post("/api/users/{user_id}/disconnect", api::disconnect)
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")))
        .build()
        .start();
    log.info("Cinder chat example listening on http://localhost:{}", endpoint.port());
    return new ChatApp(endpoint);
  }

  public int port() {
    return endpoint.port();
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public void close() {
    endpoint.close();
  }

  public static void main(String[] args) {
    ChatApp app = start(ChatConfig.fromEnvironment(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "cinder-shutdown"));
  }
}
