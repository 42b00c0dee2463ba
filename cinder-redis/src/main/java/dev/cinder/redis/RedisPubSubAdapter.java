package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.internal.LogSafe;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.pubsub.PubSubAdapter;
import dev.cinder.telemetry.Telemetry;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
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
import java.util.concurrent.TimeUnit;
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
 */
public final class RedisPubSubAdapter implements PubSubAdapter {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final RedisCodec<String, byte[]> CODEC = RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE);

  private final RedisPubSubOptions options;
  private final String node;
  private final ChannelNames names;
  private final Undelivered undelivered;
  private ClientResources resources;
  private final List<RedisClient> clients = new ArrayList<>();
  // Set once by start, read by publishing threads.
  private volatile StatefulRedisConnection<String, byte[]> publishing;
  private volatile StatefulRedisPubSubConnection<String, byte[]> subscribing;
  private volatile Publisher publisher;
  private volatile Inbound inbound;
  private TopicSubscriptions topics;
  private volatile boolean closed;

  public RedisPubSubAdapter(RedisPubSubOptions options) {
    this(options, null);
  }

  /** Counts each broadcast that could not cross in {@code telemetry} as well ({@link Telemetry#dropped()}). */
  public RedisPubSubAdapter(RedisPubSubOptions options, Telemetry telemetry) {
    this.options = options;
    this.node = options.nodeName();
    this.names = new ChannelNames(options.channelPrefix());
    this.undelivered = new Undelivered(node, telemetry);
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
    RedisURI uri = RedisURI.create(options.url());
    uri.setTimeout(options.commandTimeout());
    resources = DefaultClientResources.builder()
        .ioThreadPoolSize(2)
        .computationThreadPoolSize(1)
        .reconnectDelay(options.reconnectBackoff())
        .build();
    try {
      // The publisher rejects while disconnected (and drops what was unanswered) so nothing is queued
      // without bound nor replayed twice; the subscriber keeps SUBSCRIBEs sent meanwhile and replays them.
      RedisClient publishClient = client(uri, DisconnectedBehavior.REJECT_COMMANDS);
      RedisClient subscribeClient = client(uri, DisconnectedBehavior.DEFAULT);
      publishing = publishClient.connect(CODEC);
      publisher = new Publisher(publishing, options.maxInFlight(), undelivered);
      subscribing = subscribeClient.connectPubSub(CODEC);
      inbound = new Inbound(node, deliver, local);
      subscribing.addListener(inbound);

      List<String> channels = new ArrayList<>(List.of(names.node(node)));
      if (options.mapping() == ChannelMapping.SHARED) {
        channels.add(names.all());
      }
      subscribing.sync().subscribe(channels.toArray(String[]::new)); // waits for Redis to confirm
      if (options.mapping() == ChannelMapping.PER_TOPIC) {
        topics = new TopicSubscriptions(local, names, subscribing.async(), resources.reconnectDelay(),
            resources.eventExecutorGroup());
        topics.start();
      }
      publishClient.addListener(new ConnectionEvents(true));
      subscribeClient.addListener(new ConnectionEvents(false));
      log.info("node {}: cluster PubSub on Redis {} ({} mapping, prefix {})", node, options.redactedUrl(),
          options.mapping(), options.channelPrefix());
    } catch (RuntimeException e) {
      close();
      throw new IllegalStateException("node " + node + ": cannot start on Redis " + options.redactedUrl() + ": "
          + e.getMessage(), e);
    }
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
    String channel = options.mapping() == ChannelMapping.SHARED ? names.all() : names.topic(broadcast.topic());
    send(channel, null, broadcast);
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
      message = EnvelopeCodec.encode(node, target, broadcast);
    } catch (RuntimeException e) {
      log.warn("node {}: cannot encode a broadcast on {} for Redis", node, LogSafe.clip(broadcast.topic()), e);
      undelivered.lost("encoding failed");
      return;
    }
    publisher.publish(channel, message);
  }

  /** Broadcasts that could not cross to Redis since start (Redis away, or too many in flight). */
  public long undeliveredCount() {
    return undelivered.count();
  }

  /** Messages on this node's Redis channels that were not Cinder envelopes, ignored since start. */
  public long rejectedCount() {
    return inbound == null ? 0 : inbound.rejected();
  }

  /** Whether both connections to Redis are up. */
  public boolean connected() {
    return publishing != null && publishing.isOpen() && subscribing != null && subscribing.isOpen();
  }

  /**
   * Whether this node receives other nodes' broadcasts on {@code topic} now: connected, and Redis has
   * confirmed the subscription that carries the topic (after a reconnect too).
   */
  public boolean listening(String topic) {
    String channel = options.mapping() == ChannelMapping.SHARED ? names.all() : names.topic(topic);
    return connected() && inbound.confirmed(channel);
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
    try {
      if (publisher != null) {
        publisher.drain(1_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (RedisClient client : clients) {
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
      }
    }
  }
}
