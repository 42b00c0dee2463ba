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

  /**
   * Builds and starts the application; {@code config.port()} 0 picks a free port. A failure to start is a
   * {@link StartupFailure} saying what failed and what to do, with what was started closed again.
   */
  public static ChatApp start(ChatConfig config) {
    Database db = openDatabase(databaseUrl(config.databaseUrl()));
    Offloader jobs = newJobs();
    ChatCluster cluster = null;
    try {
      cluster = joinCluster(config.cluster());
      return new ChatApp(startEndpoint(config, cluster, services(config, db, jobs, cluster)), jobs, db, cluster);
    } catch (Throwable e) { // whatever failed, close what had started
      if (cluster != null) {
        cluster.close();
      }
      jobs.close();
      db.close();
      throw e;
    }
  }

  /** The offloader of {@code process_data}, with the limits above and a 30 s timeout per job; close it at the end. */
  public static Offloader newJobs() {
    return Offloader.builder().maxConcurrent(MAX_JOBS).maxPerChannel(MAX_JOBS_PER_ROOM)
        .maxPerKey(MAX_JOBS_PER_USER, ctx -> ctx.assigns().get("user_id")).timeout(Duration.ofSeconds(30)).build();
  }

  private static DatabaseUrl databaseUrl(String value) {
    try {
      return DatabaseUrl.parse(value);
    } catch (IllegalArgumentException e) {
      throw new StartupFailure(e.getMessage(), e);
    }
  }

  private static Database openDatabase(DatabaseUrl url) {
    Database db;
    try {
      db = Database.open(url, 8);
    } catch (SQLException e) {
      if (e.getErrorCode() == org.h2.api.ErrorCode.DATABASE_ALREADY_OPEN_1) {
        throw new StartupFailure("the message database " + url + " is in use by another process: stop that process, "
            + "or add ;AUTO_SERVER=TRUE to DATABASE_URL so that the processes share it (the default store does)", e);
      }
      throw new StartupFailure("cannot open the message database " + url + " (" + StartupFailure.rootMessage(e)
          + "): check that the database runs and that DATABASE_URL is right", e);
    }
    try {
      Schema.create(db);
    } catch (SQLException e) {
      db.close();
      throw new StartupFailure("cannot create the tables in " + url + " (" + StartupFailure.rootMessage(e)
          + "): check that DATABASE_URL's user may create tables", e);
    }
    log.info("messages are stored in {}", url);
    return db;
  }

  private static ChatCluster joinCluster(ChatConfig.ClusterSetting setting) {
    try {
      return ChatCluster.start(setting);
    } catch (RuntimeException e) {
      if (!setting.redis()) {
        throw e;
      }
      throw new StartupFailure("cannot reach Redis at " + setting.redactedRedisUrl() + " (" + StartupFailure.rootMessage(e)
          + "): start Redis, or set REDIS_URL to one that runs (a single node needs none: PUBSUB=local)", e);
    }
  }

  private static Endpoint listen(Endpoint.Builder builder, int port) {
    try {
      return builder.build().start();
    } catch (Exception e) { // Netty may throw an undeclared IOException: catch everything
      String cause = StartupFailure.rootMessage(e);
      if (StartupFailure.causedBy(e, java.net.BindException.class) || cause.contains("Address already in use")) {
        throw new StartupFailure("port " + port + " is already in use: stop what listens there, "
            + "or set PORT to another port (PORT=0 picks a free one)", e);
      }
      throw new StartupFailure("cannot listen on port " + port + " (" + cause + "): set PORT to a free port "
          + "(ports below 1024 need privileges)", e);
    }
  }

  private static ChatServices services(ChatConfig config, Database db, Offloader jobs, ChatCluster cluster) {
    MessageStore messages = new SqlMessageStore(db);
    RateLimiter<Object> perUserPerRoom = RateLimiter.builder()
        .limit(config.rateLimit().count()).window(config.rateLimit().window()).build();
    BlockList blocks = new BlockList(new SqlBlockStore(db), cluster.pubSub());
    return new ChatServices(messages, blocks, new NewMessages(messages, perUserPerRoom), jobs,
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
        .inboundBurst(config.inboundLimit().count())
        .inboundRate(config.inboundLimit().perSecond())
        .longPoll(true);
    Endpoint.Builder builder = Endpoint.builder()
        .port(config.port())
        .secretKeyBase(config.secretKeyBase())
        .pubSub(pubSub)
        .telemetry(cluster.telemetry())
        .socket("/socket", new UserSocket(tokens, services), options)
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")))
        .get("/metrics", r -> HttpResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", cluster.metrics().scrape()));
    api.routes(builder);
    web.routes().forEach(builder::get);
    Endpoint endpoint = listen(builder, config.port());
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

  /**
   * Starts the example as configured by the environment. A start that fails prints one line on stderr (what
   * failed, what to do) and exits with status 1; {@code CINDER_DEBUG=1} or {@code LOG_LEVEL=DEBUG} adds the stack
   * trace.
   */
  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    try {
      log.info("Java heap: at most {} MiB (-Xmx; ./dev example takes it from CINDER_HEAP)",
          Runtime.getRuntime().maxMemory() >> 20);
      ChatApp app = start(configFrom(env));
      Runtime.getRuntime().addShutdownHook(new Thread(app::close, "cinder-shutdown"));
    } catch (RuntimeException | Error e) {
      System.err.println("cinder chat: " + StartupFailure.describe(e));
      if (StartupFailure.debugRequested(env)) {
        e.printStackTrace();
      }
      System.exit(1);
    }
  }

  private static ChatConfig configFrom(Map<String, String> env) {
    try {
      return ChatConfig.fromEnvironment(env);
    } catch (IllegalArgumentException e) { // each names the variable and the expected form
      throw new StartupFailure(e.getMessage(), e);
    }
  }
}
