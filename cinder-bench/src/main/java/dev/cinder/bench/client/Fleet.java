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
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
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
  private final Map<String, LongAdder> recoveryOutcomes = new ConcurrentHashMap<>();
  volatile Traffic traffic = Traffic.NONE;
  private int created;
  /** The clients {@link #dropAll} dropped, with their last positions: what {@link #reopen} rejoins. */
  private List<Dropped> dropped = List.of();

  /** A dropped client: its index (its user), its topics and the last position it had of each. */
  public record Dropped(int index, List<String> topics, String[] positions) {}

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
    return open(topicSpec, false);
  }

  /** As {@link #open(String)}; with {@code recover} every join asks for positions ({@code "recover": true}). */
  public PhxClient open(String topicSpec, boolean recover) {
    int index = created++;
    List<String> topics = Topics.resolve(topicSpec, index);
    return start(index, topics, recover ? new String[topics.size()] : null, server);
  }

  /**
   * Opens again, to {@code to}, the client {@code d} describes: the same user and topics, each join recovering from
   * the last position it had ({@code "recover": true} where it had none).
   */
  public PhxClient reopen(Dropped d, InetSocketAddress to) {
    return start(d.index(), d.topics(), d.positions() == null ? new String[d.topics().size()] : d.positions(), to);
  }

  private PhxClient start(int index, List<String> topics, String[] recoverFrom, InetSocketAddress server) {
    if (!server.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the load generator only targets loopback, not " + server);
    }
    String token = tokens.sign("user auth", userPrefix + index);
    InetSocketAddress local = new InetSocketAddress(sources.get(index % sources.size()), 0);
    if (longPoll) {
      LongPollClient client = new LongPollClient(this, index, topics, recoverFrom, bootstrap, server, local, token);
      clients.add(client);
      client.open();
      return client;
    }
    URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort()
        + "/socket/websocket?vsn=2.0.0&token=" + token);
    WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(
        uri, WebSocketVersion.V13, null, false, new DefaultHttpHeaders(), 16 << 20, true, false, 10_000L, false, false);
    WsClient client = new WsClient(this, index, topics, recoverFrom, handshaker);
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

  /**
   * Drops every socket at once ({@link PhxClient#abort}: no close frame, a TCP reset), all within a few
   * milliseconds, and keeps each client's last positions for {@link #reopen}; returns how many were dropped.
   */
  public int dropAll(int seconds) {
    List<PhxClient> all = new ArrayList<>(clients);
    clients.clear();
    List<CompletableFuture<String[]>> last = all.stream().map(PhxClient::drop).toList();
    List<Dropped> out = new ArrayList<>(all.size());
    for (int i = 0; i < all.size(); i++) {
      try {
        out.add(new Dropped(all.get(i).index(), all.get(i).topics(), last.get(i).get(seconds, TimeUnit.SECONDS)));
      } catch (ExecutionException | TimeoutException e) {
        throw new IllegalStateException("client " + all.get(i).index() + " did not drop", e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    dropped = List.copyOf(out);
    return dropped.size();
  }

  /** The clients the last {@link #dropAll} dropped. */
  public List<Dropped> dropped() {
    return dropped;
  }

  void recoveryOutcome(String outcome) {
    recoveryOutcomes.computeIfAbsent(outcome, k -> new LongAdder()).increment();
  }

  /** How many joins since the last call ended in each recovery outcome ({@code recovered}, or why not), then resets. */
  public Map<String, Long> takeRecoveryOutcomes() {
    Map<String, Long> out = new TreeMap<>();
    recoveryOutcomes.forEach((k, v) -> out.put(k, v.sumThenReset()));
    out.values().removeIf(n -> n == 0);
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
