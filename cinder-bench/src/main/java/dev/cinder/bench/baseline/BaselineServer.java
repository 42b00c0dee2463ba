package dev.cinder.bench.baseline;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The raw Netty baseline: the least a server can do and still be a Phoenix V2 server to the load generator.
 * It answers the WebSocket handshake, {@code phx_join}, heartbeats and {@code ping} with exact V2 reply frames,
 * and on {@code POST /api/broadcast} writes one pre-encoded fastlane frame to every joined socket of the topic,
 * a {@code writeAndFlush} per socket. Same transport (epoll), same thread count and same JVM flags as Cinder,
 * so that Cinder's figures can be read as ratios to it. No auth on sockets: it measures the transport floor.
 *
 * <p>{@code java dev.cinder.bench.baseline.BaselineServer} with {@code PORT} and {@code ADMIN_TOKEN}.
 */
public final class BaselineServer implements AutoCloseable {
  private final EventLoopGroup group;
  private final Channel serverChannel;
  final Map<String, Set<Channel>> topics = new ConcurrentHashMap<>();

  public BaselineServer(int port, String adminToken, int threads) throws InterruptedException {
    group = new MultiThreadIoEventLoopGroup(threads, EpollIoHandler.newFactory());
    BaselineHttp http = new BaselineHttp(this, adminToken);
    serverChannel = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 20), http);
          }
        })
        .bind("0.0.0.0", port).sync().channel();
  }

  void joined(String topic, Channel channel) {
    topics.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(channel);
    channel.closeFuture().addListener(f -> topics.getOrDefault(topic, Set.of()).remove(channel));
  }

  @Override
  public void close() {
    serverChannel.close().syncUninterruptibly();
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "4001"));
    String admin = System.getenv().getOrDefault("ADMIN_TOKEN", "baseline");
    int threads = Runtime.getRuntime().availableProcessors(); // Cinder's Endpoint default
    BaselineServer server = new BaselineServer(port, admin, threads);
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "baseline-shutdown"));
    System.err.println("baseline listening on " + port);
  }
}
