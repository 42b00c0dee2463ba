package dev.cinder.example.chat;

import dev.cinder.CheckOrigin;
import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.http.HttpResponse;
import dev.cinder.offload.Offloader;
import dev.cinder.ratelimit.RateLimiter;
import dev.cinder.token.PhoenixToken;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example chat server: {@code java dev.cinder.example.chat.ChatApp}, configured by environment variables. */
public final class ChatApp implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChatApp.class);
  /** {@code process_data} jobs at once: in all, per room channel, and per user (all its rooms and sockets together). */
  static final int MAX_JOBS = 64;
  static final int MAX_JOBS_PER_ROOM = 4;
  static final int MAX_JOBS_PER_USER = 8;

  private final Endpoint endpoint;
  private final Offloader jobs;
  private final Database db;
  private final ChatCluster cluster;

  private ChatApp(Endpoint endpoint, Offloader jobs, Database db, ChatCluster cluster) {
    this.endpoint = endpoint;
    this.jobs = jobs;
    this.db = db;
    this.cluster = cluster;
  }

  /** Builds and starts the application; {@code config.port()} 0 picks a free port. */
  public static ChatApp start(ChatConfig config) {
    Database db = openDatabase(DatabaseUrl.parse(config.databaseUrl()));
    Offloader jobs = Offloader.builder().maxConcurrent(MAX_JOBS).maxPerChannel(MAX_JOBS_PER_ROOM)
        .maxPerKey(MAX_JOBS_PER_USER, ctx -> ctx.assigns().get("user_id")).timeout(Duration.ofSeconds(30)).build();
    ChatCluster cluster = null;
    try {
      cluster = ChatCluster.start(config.cluster());
      return new ChatApp(startEndpoint(config, cluster, services(config, db, jobs, cluster)), jobs, db, cluster);
    } catch (Throwable e) { // Netty reports a taken port as an undeclared IOException: catch everything
      if (cluster != null) {
        cluster.close();
      }
      jobs.close();
      db.close();
      throw e;
    }
  }

  private static Database openDatabase(DatabaseUrl url) {
    Database db = Database.open(url, 8);
    try {
      Schema.create(db);
    } catch (SQLException e) {
      db.close();
      throw new IllegalStateException("cannot create the tables in " + url + ": " + e.getMessage(), e);
    }
    log.info("messages are stored in {}", url);
    return db;
  }

  private static ChatServices services(ChatConfig config, Database db, Offloader jobs, ChatCluster cluster) {
    MessageStore messages = new MessageStore(db);
    RateLimiter<Object> perUserPerRoom = RateLimiter.builder()
        .limit(config.rateLimit().count()).window(config.rateLimit().window()).build();
    return new ChatServices(messages, new BlockList(db, cluster.pubSub()), new NewMessages(messages, perUserPerRoom), jobs,
        cluster.presence(), new RoomEventLimits(config.typingLimit(), config.statusLimit()));
  }

  private static Endpoint startEndpoint(ChatConfig config, ChatCluster cluster, ChatServices services) {
    PubSub pubSub = cluster.pubSub();
    PhoenixToken tokens = PhoenixToken.forSecret(config.secretKeyBase());
    AdminApi api = new AdminApi(pubSub, tokens, config.adminToken());
    WebAssets web = WebAssets.fromClasspath();
    SocketOptions options = SocketOptions.defaults()
        .idleTimeout(config.socketTimeout())
        .checkOrigin(CheckOrigin.list(config.allowedOrigins()))
        .longPoll(true);
    Endpoint.Builder builder = Endpoint.builder()
        .port(config.port())
        .secretKeyBase(config.secretKeyBase())
        .pubSub(pubSub)
        .telemetry(cluster.telemetry())
        .socket("/socket", new UserSocket(tokens, services), options)
        .post("/api/token", api::token)
        .post("/api/broadcast", api::broadcast)
        .post("/api/users/{user_id}/disconnect", api::disconnect)
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")))
        .get("/metrics", r -> HttpResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", cluster.metrics().scrape()));
    web.routes().forEach(builder::get);
    Endpoint endpoint = builder.build().start();
    log.info("Cinder chat example listening on http://localhost:{} (node {}, {} PubSub)", endpoint.port(),
        pubSub.nodeName(), config.cluster().redis() ? "redis" : "local");
    return endpoint;
  }

  public int port() {
    return endpoint.port();
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  /** Who is in which room, as this node sees it. */
  public dev.cinder.presence.Presence presence() {
    return cluster.presence();
  }

  /** Stops serving, interrupts offloaded work, leaves the cluster, then closes the database. */
  @Override
  public void close() {
    endpoint.close();
    jobs.close();
    cluster.close();
    db.close();
  }

  public static void main(String[] args) {
    ChatApp app = start(ChatConfig.fromEnvironment(System.getenv()));
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "cinder-shutdown"));
  }
}
