package dev.cinder.bench.mini;

import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A small Cinder application of the bench's own, for the long-poll benchmark while the example does not serve
 * long-poll: the example's {@code bench:*} topics and {@code POST /api/broadcast}, on a socket at {@code /socket}
 * with both transports, the example's idle timeout (60 s) and the default long-poll window (10 s).
 * Configured like the example: {@code PORT}, {@code SECRET_KEY_BASE}, {@code ADMIN_TOKEN}; with {@code PUBSUB=redis},
 * {@code REDIS_URL} and {@code NODE_NAME} it is a node of a cluster over Redis (the recovery benchmark's).
 * Beside {@code bench:*} it serves {@code bench_history:*}, the same channel on topics that keep a history, and
 * {@code GET /api/recovery-reads}: how many history reads this node's recoveries made in Redis (0 on one node).
 */
public final class MiniApp {
  private MiniApp() {}

  public static void main(String[] args) {
    Map<String, String> env = System.getenv();
    String secret = env.get("SECRET_KEY_BASE");
    byte[] admin = env.get("ADMIN_TOKEN").getBytes(StandardCharsets.UTF_8);
    Telemetry telemetry = new Telemetry();
    PubSub pubSub = "redis".equals(env.get("PUBSUB"))
        ? RedisPubSubAdapter.cluster(RedisPubSubOptions.of(env.get("REDIS_URL"), env.getOrDefault("NODE_NAME", "mini")), telemetry)
        : new LocalPubSub(telemetry);
    Endpoint endpoint = Endpoint.builder()
        .port(Integer.parseInt(env.getOrDefault("PORT", "4000")))
        .secretKeyBase(secret)
        .pubSub(pubSub)
        .telemetry(telemetry)
        // The echo scenario pings as fast as round trips allow (about 1,000 per second per socket), far over the
        // inbound rate a real client gets: raised so that the benchmark measures throughput, not the limit.
        .socket("/socket", new MiniSocket(secret), SocketOptions.defaults().idleTimeout(Duration.ofSeconds(60)).longPoll(true)
            .inboundRate(1_000_000).inboundBurst(1_000_000))
        .post("/api/broadcast", r -> broadcast(pubSub, admin, r))
        .get("/api/recovery-reads", r -> recoveryReads(pubSub, admin, r))
        .get("/health", r -> HttpResponse.json(200, Map.of("status", "ok")))
        .build().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      endpoint.close();
      if (pubSub instanceof ClusterPubSub cluster) {
        cluster.close();
      }
    }, "mini-shutdown"));
  }

  /** {@code {"recoveryReads": n}} behind the bearer token: the reads of Redis histories recoveries made on this node. */
  static HttpResponse recoveryReads(PubSub pubSub, byte[] admin, HttpRequest request) {
    if (!authorized(admin, request)) {
      return HttpResponse.error(401, "unauthorized");
    }
    long reads = pubSub instanceof ClusterPubSub cluster && cluster.adapter() instanceof RedisPubSubAdapter redis
        ? redis.recoveryReads() : 0;
    return HttpResponse.json(200, Map.of("recoveryReads", reads));
  }

  private static boolean authorized(byte[] admin, HttpRequest request) {
    String bearer = request.bearerToken();
    return bearer != null && MessageDigest.isEqual(bearer.getBytes(StandardCharsets.UTF_8), admin);
  }

  /**
   * The example's admin broadcast, {@code {"topic","event","payload"}} behind the bearer token, 202 when sent; or
   * {@code {"topics":[…],…}}: the same broadcast to each topic in turn, as an application broadcasts to the shards
   * of a hot topic (the sharding benchmark).
   */
  static HttpResponse broadcast(PubSub pubSub, byte[] admin, HttpRequest request) {
    if (!authorized(admin, request)) {
      return HttpResponse.error(401, "unauthorized");
    }
    JsonNode body = request.jsonBody();
    String event = body.get("event").stringValue();
    if (body.has("topics")) {
      for (JsonNode topic : body.get("topics")) {
        pubSub.broadcast(topic.stringValue(), event, body.get("payload"));
      }
    } else {
      pubSub.broadcast(body.get("topic").stringValue(), event, body.get("payload"));
    }
    return HttpResponse.json(202, Map.of("ok", true));
  }
}
