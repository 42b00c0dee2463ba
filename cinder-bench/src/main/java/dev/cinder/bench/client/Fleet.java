package dev.cinder.bench.client;

import dev.cinder.token.PhoenixToken;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clients of one generator process: many per epoll I/O thread, each bound to one of this generator's own
 * loopback source addresses (127.0.0.2, 127.0.0.3, …) so that no single address runs out of ephemeral ports.
 * All speak one transport: WebSocket, or long-poll (two HTTP connections per client).
 */
public final class Fleet implements AutoCloseable {
  private static final int MAX_SAMPLES = 5;

  private final EventLoopGroup group;
  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final List<String> sources;
  private final PhoenixToken tokens;
  private final String userPrefix;
  private final boolean longPoll;
  private final List<PhxClient> clients = new CopyOnWriteArrayList<>();
  private final Map<String, LongAdder> badSamples = new ConcurrentHashMap<>();
  public final Counters counters = new Counters();
  public final Histo connectHistogram = new Histo();
  public final Histo joinHistogram = new Histo();
  volatile Traffic traffic = Traffic.NONE;
  private int created;

  public Fleet(InetSocketAddress server, List<String> sources, String secretKeyBase, String userPrefix, int threads,
      boolean longPoll) {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the load generator only targets loopback, not " + server);
    }
    this.server = server;
    this.sources = List.copyOf(sources);
    this.tokens = PhoenixToken.forSecret(secretKeyBase);
    this.userPrefix = userPrefix;
    this.longPoll = longPoll;
    this.group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    this.bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000);
  }

  public void traffic(Traffic value) {
    this.traffic = value;
  }

  /** The clients whose join succeeded, in the order they were opened. */
  public List<PhxClient> joined() {
    return clients.stream().filter(PhxClient::isJoined).toList();
  }

  /** The index the next client opened will have. */
  public int nextIndex() {
    return created;
  }

  /**
   * Starts one client that joins the topics of {@code topicSpec} (see {@link Topics}); the future completes when
   * every join was answered ok.
   */
  public PhxClient open(String topicSpec) {
    int index = created++;
    List<String> topics = Topics.resolve(topicSpec, index);
    String token = tokens.sign("user auth", userPrefix + index);
    InetSocketAddress local = new InetSocketAddress(sources.get(index % sources.size()), 0);
    if (longPoll) {
      LongPollClient client = new LongPollClient(this, index, topics, bootstrap, server, local, token);
      clients.add(client);
      client.open();
      return client;
    }
    URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort()
        + "/socket/websocket?vsn=2.0.0&token=" + token);
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
        uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 16 << 20, true, false, 10_000L, false, false);
    WsClient client = new WsClient(this, index, topics, handshaker);
    bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), client.handler());
      }
    }).connect(server, local).addListener(f -> {
      if (!f.isSuccess()) {
        client.joined.completeExceptionally(f.cause());
      }
    });
    clients.add(client);
    return client;
  }

  void badFrame(String what) {
    counters.badFrames.increment();
    if (badSamples.size() < MAX_SAMPLES || badSamples.containsKey(what)) {
      badSamples.computeIfAbsent(what, k -> new LongAdder()).increment();
    }
  }

  /** A few kinds of unexpected frames with their counts, for the report. */
  public Map<String, Long> badSamples() {
    Map<String, Long> out = new java.util.TreeMap<>();
    badSamples.forEach((k, v) -> out.put(k, v.sum()));
    return out;
  }

  /** Closes every socket (a WebSocket close, then TCP) and waits up to {@code seconds}. */
  public void closeAll(int seconds) {
    List<PhxClient> all = new ArrayList<>(clients);
    clients.clear();
    all.forEach(c -> {
      if (c.isOpen()) {
        c.execute(c::close);
      }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    for (PhxClient c : all) {
      while (c.isOpen() && System.nanoTime() < deadline) {
        sleepMillis(5);
      }
    }
  }

  @Override
  public void close() {
    closeAll(5);
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  static void sleepMillis(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
