package dev.cinder.example.chat;

import dev.cinder.PubSub;
import dev.cinder.micrometer.CinderMetrics;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * This node's place in the system: its PubSub (local, or Redis for a cluster), the Presence replicated over
 * it, and the telemetry and Prometheus registry that watch both.
 */
public final class ChatCluster implements AutoCloseable {
  private final Telemetry telemetry;
  private final PubSub pubSub;
  private final LocalPubSub local;
  private final Presence presence;
  private final PrometheusMeterRegistry metrics;

  private ChatCluster(Telemetry telemetry, PubSub pubSub, LocalPubSub local, Presence presence, PrometheusMeterRegistry metrics) {
    this.telemetry = telemetry;
    this.pubSub = pubSub;
    this.local = local;
    this.presence = presence;
    this.metrics = metrics;
  }

  static ChatCluster start(ChatConfig.ClusterSetting setting) {
    Telemetry telemetry = new Telemetry();
    LocalPubSub local;
    PubSub pubSub;
    if (setting.redis()) {
      ClusterPubSub cluster = RedisPubSubAdapter.cluster(RedisPubSubOptions.of(setting.redisUrl(), setting.nodeName()), telemetry);
      local = cluster.local();
      pubSub = cluster;
    } else {
      local = new LocalPubSub(telemetry, setting.nodeName());
      pubSub = local;
    }
    Presence presence = Presence.create(pubSub, presenceOptions(setting.presenceDownPeriod()), telemetry);
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    CinderMetrics.bind(metrics, telemetry, local::topicCount, presence::size);
    bindClusterMeters(metrics, pubSub);
    return new ChatCluster(telemetry, pubSub, local, presence, metrics);
  }

  /** Presence whose users leave the other nodes' lists once this node has been silent for {@code down}. */
  public static PresenceOptions presenceOptions(java.time.Duration down) {
    // Heartbeats at least four times per down period, so a short period (in tests) is still detected reliably.
    java.time.Duration beat = down.dividedBy(4).compareTo(java.time.Duration.ofMillis(1500)) < 0
        ? down.dividedBy(4) : java.time.Duration.ofMillis(1500);
    // An idle node heartbeats every maxSilentPeriods beats: at most half the down period, so quiet nodes never look dead.
    int silent = (int) Math.max(1, down.toMillis() / (2 * beat.toMillis()));
    return PresenceOptions.defaults().broadcastPeriod(beat).maxSilentPeriods(Math.min(10, silent)).downPeriod(down);
  }

  /**
   * On a Redis cluster: {@code cinder.cluster.undelivered} (broadcasts that could not cross) and
   * {@code cinder.cluster.connected} (1 while Redis is reachable). Nothing for a local PubSub.
   */
  public static void bindClusterMeters(io.micrometer.core.instrument.MeterRegistry registry, PubSub pubSub) {
    if (pubSub instanceof ClusterPubSub cluster && cluster.adapter() instanceof RedisPubSubAdapter redis) {
      io.micrometer.core.instrument.FunctionCounter.builder("cinder.cluster.undelivered", redis, RedisPubSubAdapter::undeliveredCount)
          .description("broadcasts that could not cross to the other nodes (Redis unreachable)").register(registry);
      io.micrometer.core.instrument.Gauge.builder("cinder.cluster.connected", redis, r -> r.connected() ? 1 : 0)
          .description("1 while this node reaches Redis").register(registry);
    }
  }

  Telemetry telemetry() {
    return telemetry;
  }

  PubSub pubSub() {
    return pubSub;
  }

  Presence presence() {
    return presence;
  }

  PrometheusMeterRegistry metrics() {
    return metrics;
  }

  /** Leaves presence first (peers see this node's users go), then disconnects from the other nodes. */
  @Override
  public void close() {
    presence.close();
    if (pubSub instanceof ClusterPubSub cluster) {
      cluster.close();
    }
    metrics.close();
  }
}
