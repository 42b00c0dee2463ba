package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.LocalFanout;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.pubsub.PubSubAdapter;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.Tracing;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.pubsub.RedisClusterPubSubListener;
import io.lettuce.core.cluster.pubsub.StatefulRedisClusterPubSubConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries broadcasts between the nodes of a cluster over Redis pub/sub. Use it through
 * {@link ClusterPubSub}, which delivers locally first and hands each broadcast here:
 * <pre>{@code
 * var options = RedisPubSubOptions.of(System.getenv("REDIS_URL"), "node-a").channelPrefix("chat");
 * ClusterPubSub pubSub = RedisPubSubAdapter.cluster(options, telemetry); // or new ClusterPubSub(local, adapter)
 * }</pre>
 *
 * <p>Two connections: one publishes (a single connection, so each node's broadcasts stay in order), one
 * subscribes. When Redis goes away, publishing drops and counts instead of waiting ({@link
 * #undeliveredCount()}, and {@link Telemetry#dropped()}), both connections reconnect with back-off, and
 * the subscriptions are restored. A broadcast is never delivered twice and never back to its own node.
 * {@link #start} fails when Redis cannot be reached at all, so a misconfigured node stops at once.
 *
 * <p>On a Redis Cluster ({@code redis-cluster://}) the same two connections are Lettuce's cluster connections,
 * which hold one connection per shard: a broadcast is an {@code SPUBLISH} to the master of the shard its channel
 * hashes to, and each channel an {@code SSUBSCRIBE} there, so every shard carries its part of the traffic. When
 * the topology changes (a shard's failover, a slot moved), the adapter subscribes again, on their new masters,
 * every channel that lost its subscription. What a node publishes to a shard while that shard has no reachable
 * master is dropped and counted, as during an outage of a single Redis.
 */
public final class RedisPubSubAdapter implements PubSubAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisPubSubOptions options;
  private final String node;
  private final ChannelNames names;
  private final Undelivered undelivered;
  private ClientResources resources;
  private final List<AbstractRedisClient> clients = new ArrayList<>();
  // Set once by start, read by publishing threads.
  private volatile StatefulConnection<String, byte[]> publishing;
  private volatile StatefulRedisPubSubConnection<String, byte[]> subscribing;
  // Redis Cluster only: the same two connections as cluster connections (their view of the topology).
  private volatile StatefulRedisClusterPubSubConnection<String, byte[]> clusterSubscribing;
  private volatile StatefulRedisClusterConnection<String, byte[]> clusterPublishing;
  // The channels this node subscribes for as long as it runs: its own, and p:all with the SHARED mapping.
  private List<String> ownChannels = List.of();
  private volatile Publisher publisher;
  private volatile RedisHistory history; // set at start when histories live in Redis
  private volatile Inbound inbound;
  private volatile ListeningWaits waits; // joins waiting until this node hears their topic
  private TopicSubscriptions topics;
  private volatile boolean closed;
  private final Telemetry telemetry; // null: not counted, not traced

  public RedisPubSubAdapter(RedisPubSubOptions options) {
    this(options, null);
  }

  /** Counts each broadcast that could not cross in {@code telemetry} as well ({@link Telemetry#dropped()}). */
  public RedisPubSubAdapter(RedisPubSubOptions options, Telemetry telemetry) {
    this.options = options;
    this.node = options.nodeName();
    this.names = new ChannelNames(options.channelPrefix());
    this.undelivered = new Undelivered(node, telemetry);
    this.telemetry = telemetry;
  }

  /**
   * The usual wiring: a {@link ClusterPubSub} of a {@link LocalPubSub} named after the node and a started
   * adapter; {@link ClusterPubSub#adapter()} gives the adapter back for its counters.
   */
  public static ClusterPubSub cluster(RedisPubSubOptions options, Telemetry telemetry) {
    return new ClusterPubSub(new LocalPubSub(telemetry, options.nodeName()), new RedisPubSubAdapter(options, telemetry));
  }

  @Override
  public String nodeName() {
    return node;
  }

  /** Starts without local interest: every broadcast is delivered; only the shared mapping works so. */
  @Override
  public void start(Consumer<Broadcast> deliver) {
    start(deliver, null);
  }

  @Override
  public synchronized void start(Consumer<Broadcast> deliver, LocalPubSub local) {
    if (resources != null) {
      throw new IllegalStateException("already started");
    }
    if (options.mapping() == ChannelMapping.PER_TOPIC && local == null) {
      throw new IllegalStateException("the PER_TOPIC mapping needs the LocalPubSub: start through ClusterPubSub");
    }
    resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(1)
        .reconnectDelay(options.reconnectBackoff())
        .build();
    ownChannels = new ArrayList<>(List.of(names.node(node)));
    if (options.mapping() == ChannelMapping.SHARED) {
      ownChannels.add(names.all());
    }
    try {
      inbound = new Inbound(node, deliver, local, telemetry);
      waits = new ListeningWaits(this::listening, this::channelOf, resources.eventExecutorGroup(),
          options.commandTimeout().toMillis());
      inbound.onConfirmed(waits::confirmed);
      ChannelCommands commands = options.isCluster() ? connectCluster() : connectSingle();
      if (local != null) {
        keepHistories(local);
        readMasters();
      }
      if (options.mapping() == ChannelMapping.PER_TOPIC) {
        topics = new TopicSubscriptions(local, names, commands, resources.reconnectDelay(),
            resources.eventExecutorGroup());
        topics.start();
      }
      log.info("node {}: cluster PubSub on Redis {} ({} mapping, prefix {})", node, options.redactedUrl(),
          options.mapping(), options.channelPrefix());
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("node " + node + ": cannot start on Redis " + options.redactedUrl() + ": "
          + e.getMessage(), e);
    }
  }

  /**
   * Topics that keep a history keep it in Redis, shared by the cluster (see {@link RedisHistory}), so a client
   * recovers on any node what it missed. On a Redis Cluster a topic's history lives on the shard of its channel.
   */
  private void keepHistories(LocalPubSub local) {
    history = options.isCluster()
        ? new RedisHistory(node, names, this::channelOf, waits, clusterPublishing.async(), true,
            resources.eventExecutorGroup(), options.commandTimeout().toMillis(), options.maxInFlight(), undelivered,
            this::traceOf)
        : new RedisHistory(node, names, this::channelOf, waits,
            ((StatefulRedisConnection<String, byte[]>) publishing).async(), false,
            resources.eventExecutorGroup(), options.commandTimeout().toMillis(), options.maxInFlight(), undelivered,
            this::traceOf);
    LocalFanout fanout = (LocalFanout) Fanout.of(local);
    fanout.histories().store(history);
    inbound.recordedTo(history, fanout);
  }

  private String channelOf(String topic) {
    return options.mapping() == ChannelMapping.SHARED ? names.all() : names.topic(topic);
  }

  /** Reads of Redis for clients' recoveries since start (one per topic and position asked for at once). */
  public long recoveryReads() {
    return history == null ? 0 : history.recoveryReads();
  }

  private ChannelCommands connectSingle() {
    RedisURI uri = RedisURI.create(options.url());
    uri.setTimeout(options.commandTimeout());
    // The publisher rejects while disconnected (and drops what was unanswered) so nothing is queued
    // without bound nor replayed twice; the subscriber keeps SUBSCRIBEs sent meanwhile and replays them.
    RedisClient publishClient = client(uri, DisconnectedBehavior.REJECT_COMMANDS);
    RedisClient subscribeClient = client(uri, DisconnectedBehavior.DEFAULT);
    StatefulRedisConnection<String, byte[]> publishingConnection = publishClient.connect(CODEC);
    publishing = publishingConnection;
    publisher = new Publisher(publishingConnection.async()::publish, options.maxInFlight(), undelivered);
    subscribing = subscribeClient.connectPubSub(CODEC);
    subscribing.addListener(inbound);
    subscribing.sync().subscribe(ownChannels.toArray(String[]::new)); // waits for Redis to confirm
    publishClient.addListener(new ConnectionEvents(true));
    subscribeClient.addListener(new ConnectionEvents(false));
    return ChannelCommands.plain(subscribing.async());
  }

  /**
   * Two cluster clients as above, each reading the topology by itself; the outage bookkeeping follows the
   * publishes alone (the clients also open short connections of their own to read the topology, so their
   * connection events say nothing about an outage).
   */
  private ChannelCommands connectCluster() {
    List<RedisURI> seeds = options.clusterSeeds();
    seeds.forEach(seed -> seed.setTimeout(options.commandTimeout()));
    RedisClusterClient publishClient = clusterClient(seeds, DisconnectedBehavior.REJECT_COMMANDS);
    RedisClusterClient subscribeClient = clusterClient(seeds, DisconnectedBehavior.DEFAULT);
    StatefulRedisClusterConnection<String, byte[]> publishingConnection = publishClient.connect(CODEC);
    clusterPublishing = publishingConnection;
    publishing = publishingConnection;
    // Connected to every master now: a rejecting cluster connection refuses a publish while the shard's
    // connection is still being opened.
    connectToMasters();
    publisher = new Publisher(publishingConnection.async()::spublish, options.maxInFlight(), undelivered);
    StatefulRedisClusterPubSubConnection<String, byte[]> subscribingConnection = subscribeClient.connectPubSub(CODEC);
    clusterSubscribing = subscribingConnection;
    subscribing = subscribingConnection;
    subscribingConnection.addListener((RedisClusterPubSubListener<String, byte[]>) inbound);
    ChannelCommands commands = ChannelCommands.sharded(subscribingConnection.async());
    try {
      commands.subscribe(ownChannels).get(options.commandTimeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("Redis did not confirm the subscriptions in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
    inbound.onUnsubscribedByRedis(this::resubscribeLost);
    resources.eventBus().get().subscribe(event -> {
      if (event instanceof ClusterTopologyChangedEvent && !closed) {
        topologyChanged();
      }
    });
    return commands;
  }

  private RedisClusterClient clusterClient(List<RedisURI> seeds, DisconnectedBehavior whileDisconnected) {
    Duration refresh = options.topologyRefresh();
    ClusterClientOptions.Builder clientOptions = ClusterClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(whileDisconnected)
        .requestQueueSize(options.maxInFlight() + 1_000)
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()))
        .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
            .enablePeriodicRefresh(refresh)
            .enableAllAdaptiveRefreshTriggers()
            .adaptiveRefreshTriggersTimeout(refresh)
            .build());
    if (options.trustedCertificates() != null) {
      clientOptions.sslOptions(SslOptions.builder().trustManager(options.trustedCertificates().toFile()).build());
    }
    RedisClusterClient client = RedisClusterClient.create(resources, seeds);
    client.setOptions(clientOptions.build());
    clients.add(client);
    return client;
  }

  /** A shard's master changed, or a slot moved: subscribe again wherever the subscription was lost. */
  private void topologyChanged() {
    connectToMasters();
    resubscribeLost(null);
    readMasters();
  }

  /**
   * Tells the histories which masters serve them: on a Redis Cluster its masters' node ids; on one Redis (or behind
   * Sentinel) the master's replication id, which a restart or a replica's promotion changes.
   */
  private void readMasters() {
    RedisHistory history = this.history;
    if (history == null || closed) {
      return;
    }
    if (options.isCluster()) {
      Set<String> ids = new TreeSet<>();
      for (RedisClusterNode member : clusterPublishing.getPartitions()) {
        if (member.is(RedisClusterNode.NodeFlag.UPSTREAM) && !member.getSlots().isEmpty()) {
          ids.add(member.getNodeId());
        }
      }
      history.mastersAre(ids);
      return;
    }
    ((StatefulRedisConnection<String, byte[]>) publishing).async().info("replication").whenComplete((info, error) -> {
      if (error == null) {
        info.lines().filter(line -> line.startsWith("master_replid:")).findFirst()
            .ifPresent(line -> history.mastersAre(Set.of(line.substring("master_replid:".length()).strip())));
      }
    });
  }

  private void connectToMasters() {
    StatefulRedisClusterConnection<String, byte[]> connection = clusterPublishing;
    for (RedisClusterNode member : connection.getPartitions()) {
      if (member.is(RedisClusterNode.NodeFlag.UPSTREAM) && !member.is(RedisClusterNode.NodeFlag.FAIL)
          && !member.getSlots().isEmpty()) {
        connection.getConnectionAsync(member.getUri().getHost(), member.getUri().getPort())
            .exceptionally(e -> null); // a master that cannot be reached is retried by the next publish
      }
    }
  }

  /**
   * Subscribes again every channel that is not confirmed by its shard's current master: all of them when {@code
   * channel} is null (the topology changed), else that one (Redis unsubscribed it as its slot moved). Own
   * channels failing to subscribe are tried again after a back-off; topic channels retry by themselves.
   */
  private void resubscribeLost(String channel) {
    if (closed) {
      return;
    }
    int moved = 0;
    if (topics != null) {
      String topic = channel == null ? null : names.topicOf(channel);
      if (channel == null) {
        moved = topics.resubscribe(t -> !confirmedByMaster(names.topic(t)));
      } else if (topic != null) {
        moved = confirmedByMaster(channel) ? 0 : topics.resubscribe(topic);
      }
    }
    List<String> lost = ownChannels.stream()
        .filter(own -> (channel == null || own.equals(channel)) && !confirmedByMaster(own)).toList();
    if (!lost.isEmpty()) {
      subscribeOwn(lost, 1);
    }
    if (moved + lost.size() > 0) {
      inbound.historyLost(); // what the lost subscriptions carried meanwhile will not come
      log.info("node {}: {}; subscribing {} channel(s) again on their shards' masters", node,
          channel == null ? "the Redis Cluster's topology changed" : "Redis moved a channel's slot", moved + lost.size());
    }
  }

  private void subscribeOwn(List<String> channels, long attempt) {
    ChannelCommands.sharded(clusterSubscribing.async()).subscribe(channels).whenComplete((ok, e) -> {
      if (e == null || closed) {
        return;
      }
      if (attempt == 1) {
        log.warn("node {}: could not subscribe its own channel(s) on the Redis Cluster again: {}", node,
            LogSafe.clip(e));
      }
      ScheduledExecutorService retries = resources.eventExecutorGroup();
      try {
        retries.schedule(() -> subscribeOwn(channels, attempt + 1),
            resources.reconnectDelay().createDelay(attempt).toNanos(), TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException closing) {
        // The adapter is closing.
      }
    });
  }

  /** Redis Cluster: whether the master that serves this channel's slot now has confirmed our subscription. */
  private boolean confirmedByMaster(String channel) {
    RedisClusterNode master = clusterSubscribing.getPartitions().getMasterBySlot(SlotHash.getSlot(channel));
    return master != null && master.getNodeId().equals(inbound.confirmedBy(channel));
  }

  private RedisClient client(RedisURI uri, DisconnectedBehavior whileDisconnected) {
    ClientOptions.Builder clientOptions = ClientOptions.builder()
        .autoReconnect(true)
        .disconnectedBehavior(whileDisconnected)
        .requestQueueSize(options.maxInFlight() + 1_000)
        .timeoutOptions(TimeoutOptions.enabled(options.commandTimeout()));
    if (options.trustedCertificates() != null) {
      clientOptions.sslOptions(SslOptions.builder().trustManager(options.trustedCertificates().toFile()).build());
    }
    RedisClient client = RedisClient.create(resources, uri);
    client.setOptions(clientOptions.build());
    clients.add(client);
    return client;
  }

  @Override
  public void publish(Broadcast broadcast) {
    send(channelOf(broadcast.topic()), null, broadcast);
  }

  @Override
  public void publishTo(String node, Broadcast broadcast) {
    send(names.node(node), node, broadcast);
  }

  private void send(String channel, String target, Broadcast broadcast) {
    Publisher publisher = this.publisher;
    if (publisher == null || closed) {
      undelivered.lost(closed ? "adapter closed" : "adapter not started");
      return;
    }
    byte[] message;
    try {
      message = EnvelopeCodec.encode(node, target, broadcast, traceOf(broadcast));
    } catch (RuntimeException e) {
      log.warn("node {}: cannot encode a broadcast on {} for Redis", node, LogSafe.clip(broadcast.topic()), e);
      undelivered.lost("encoding failed");
      return;
    }
    publisher.publish(channel, message);
  }

  /**
   * The trace context a broadcast leaves with: the traced work current on the publishing thread, when the telemetry
   * has a tracing; null otherwise, and the envelope carries nothing.
   */
  private Map<String, String> traceOf(Broadcast broadcast) {
    Tracing tracing = telemetry == null ? null : telemetry.tracing();
    return tracing == null ? null : tracing.outgoingBroadcast(broadcast.topic(), broadcast.event());
  }

  /** Broadcasts that could not cross to Redis since start (Redis away, or too many in flight). */
  public long undeliveredCount() {
    return undelivered.count();
  }

  /** Messages on this node's Redis channels that were not Cinder envelopes, ignored since start. */
  public long rejectedCount() {
    return inbound == null ? 0 : inbound.rejected();
  }

  /**
   * Whether both connections to Redis are up. On a Redis Cluster: the connections to the node the adapter reads
   * the cluster through; one shard's outage shows in {@link #undeliveredCount()} and {@link #listening}.
   */
  public boolean connected() {
    return publishing != null && publishing.isOpen() && subscribing != null && subscribing.isOpen();
  }

  /**
   * Whether this node receives other nodes' broadcasts on {@code topic} now: connected, and Redis has
   * confirmed the subscription that carries the topic (after a reconnect too). On a Redis Cluster: the master
   * of the topic's shard, as the adapter last read the topology, has confirmed it (after a failover, the new
   * master).
   */
  public boolean listening(String topic) {
    String channel = options.mapping() == ChannelMapping.SHARED ? names.all() : names.topic(topic);
    if (options.isCluster()) {
      return connected() && confirmedByMaster(channel);
    }
    return connected() && inbound.confirmed(channel);
  }

  /**
   * Runs {@code then} once this node hears other nodes' broadcasts on {@code topic}: at once when it does, or when
   * the subscribing connection is down (nothing crosses then); otherwise when Redis confirms the subscription, or
   * after {@link RedisPubSubOptions#commandTimeout()} if it never does.
   */
  @Override
  public void whenListening(String topic, Runnable then) {
    ListeningWaits waits = this.waits;
    if (waits == null || closed || !connected()) {
      then.run();
    } else {
      waits.add(topic, heard -> then.run());
    }
  }

  public RedisPubSubOptions options() {
    return options;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (topics != null) {
      topics.stop();
    }
    if (waits != null) {
      waits.releaseAll();
    }
    try {
      if (publisher != null) {
        publisher.drain(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // A topology read still under way would open connections while the event loops stop: let it finish first.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
    for (AbstractRedisClient client : clients) {
      if (client instanceof RedisClusterClient cluster) {
        cluster.suspendTopologyRefresh();
        while (cluster.isTopologyRefreshInProgress() && System.nanoTime() < deadline) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
      }
    }
    for (AbstractRedisClient client : clients) {
      client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    }
    if (resources != null) {
      resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
  }

  /** Outage bookkeeping from the connections' state: lost and back again. */
  private final class ConnectionEvents implements RedisConnectionStateListener {
    private final boolean publishing;

    ConnectionEvents(boolean publishing) {
      this.publishing = publishing;
    }

    @Override
    public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
      if (closed) {
        return;
      }
      if (publishing) {
        undelivered.reconnected();
        readMasters();
      } else if (topics != null) {
        topics.resync();
      }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
      if (closed) {
        return;
      }
      if (publishing) {
        undelivered.disconnected();
      } else {
        inbound.disconnected();
        waits.releaseAll();
      }
    }
  }
}
