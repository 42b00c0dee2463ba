package dev.cinder.internal.netty;

import dev.cinder.http.HttpRoutes;
import dev.cinder.internal.netty.drain.DrainPlan;
import dev.cinder.internal.netty.drain.DrainProgress;
import dev.cinder.internal.netty.drain.SocketDrain;
import dev.cinder.internal.netty.http.HttpExchanges;
import dev.cinder.internal.netty.http.HttpLimits;
import dev.cinder.internal.netty.http.HttpTimeouts;
import dev.cinder.internal.netty.http.RequestAdmission;
import dev.cinder.internal.netty.http.RequestBodyBudget;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.internal.netty.websocket.OpenConnections;
import dev.cinder.internal.netty.websocket.WebSocketUpgrade;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty server: one event loop group on the chosen I/O transport, and per connection an HTTP pipeline
 * ({@link HttpPipeline}) whose handlers run in processing order, one job each:
 * <ol>
 *   <li>{@link HttpTimeouts}: header, body and keep-alive deadlines on the raw bytes;
 *   <li>Netty's {@code HttpServerCodec}: parsing, with the request line and header size limits;
 *   <li>{@link HttpExchanges}: one request at a time, answers in request order, closing when an answer says so;
 *   <li>the WebSocket compression negotiation, when a mount compresses;
 *   <li>{@link RequestAdmission}: route, guard and body limits from the headers, then the bounded body;
 *   <li>{@link HttpDispatcher}: the WebSocket upgrade, the long-poll transport or the application's route.
 * </ol>
 * A successful upgrade replaces the HTTP handlers with the WebSocket ones ({@link WebSocketUpgrade} lists them).
 * The endpoint's shutdown drains the WebSocket connections and long-poll sessions ({@link SocketDrain}).
 */
public final class HttpServer {
  private static final Logger log = LoggerFactory.getLogger(HttpServer.class);

  /** The I/O transport of the event loops, as the endpoint's {@code IoTransport} names them. */
  public enum Transport { AUTO, EPOLL, IO_URING, NIO }

  private final EventLoopGroup group;
  private final Class<? extends ServerChannel> channelType;
  private Channel serverChannel;
  private final OpenConnections openConnections = new OpenConnections();
  private final io.netty.channel.group.ChannelGroup allChannels =
      new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

  private final Transport transport;
  private RequestBodyBudget bodyBudget;
  private SocketDrain drain;

  public HttpServer(int threads, Transport requested) {
    this.transport = resolve(requested);
    IoHandlerFactory io = switch (transport) {
      case IO_URING -> IoUringIoHandler.newFactory();
      case EPOLL -> EpollIoHandler.newFactory();
      default -> NioIoHandler.newFactory();
    };
    this.group = new MultiThreadIoEventLoopGroup(threads, new io.netty.util.concurrent.DefaultThreadFactory("cinder-io"), io);
    this.channelType = switch (transport) {
      case IO_URING -> IoUringServerSocketChannel.class;
      case EPOLL -> EpollServerSocketChannel.class;
      default -> NioServerSocketChannel.class;
    };
    log.debug("I/O transport: {}", transport);
  }

  /** The transport actually in use. */
  public Transport transport() {
    return transport;
  }

  private static Transport resolve(Transport requested) {
    return switch (requested) {
      case AUTO -> Epoll.isAvailable() ? Transport.EPOLL : Transport.NIO;
      case IO_URING -> {
        if (!IoUring.isAvailable()) {
          throw new IllegalStateException("io_uring is not available here", IoUring.unavailabilityCause());
        }
        yield requested;
      }
      case EPOLL -> {
        if (!Epoll.isAvailable()) {
          throw new IllegalStateException("epoll is not available here", Epoll.unavailabilityCause());
        }
        yield requested;
      }
      case NIO -> requested;
    };
  }

  /** Binds and returns the bound address (port 0 picks a free port). */
  public InetSocketAddress start(String host, int port, List<SocketMount> mounts, HttpRoutes routes,
      LongPollSessions longPollSessions, HttpLimits options, Telemetry telemetry) throws InterruptedException {
    drain = new SocketDrain(List.of(openConnections, longPollSessions), telemetry);
    HttpPipeline connections = new HttpPipeline(options, mounts, routes, longPollSessions, openConnections,
        HttpPipeline.ON_VIRTUAL_THREADS);
    bodyBudget = connections.budget();
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(group)
        .channel(channelType)
        .option(ChannelOption.SO_BACKLOG, 4096)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            allChannels.add(ch); // removed by the group itself when the channel closes
            connections.init(ch);
          }
        });
    serverChannel = bootstrap.bind(host, port).sync().channel();
    return (InetSocketAddress) serverChannel.localAddress();
  }

  /** Bytes of request bodies taken and not yet answered, over all connections. */
  public long bodyBytesInFlight() {
    return bodyBudget == null ? 0 : bodyBudget.used();
  }

  /** Where the server is in its drain, and how many sockets are left. */
  public DrainProgress drainStatus() {
    return drain == null ? new DrainProgress(DrainProgress.Phase.SERVING, 0, 0) : drain.status();
  }

  /**
   * Stops gracefully ({@link SocketDrain}): closes the listening socket, closes the open sockets in batches
   * (WebSocket with 1012, the official client reconnects, behind a load balancer to another node; long-poll
   * sessions end), waits for their channels to end, then closes whatever connection is left and stops the
   * event loops.
   */
  public void drain(DrainPlan options) {
    if (drain != null) {
      drain.run(options, this::stopAccepting);
    }
    stop();
  }

  /** Stops at once: the listening socket, every connection, the event loops. */
  public void stop() {
    stopAccepting();
    allChannels.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void stopAccepting() {
    if (serverChannel != null) {
      serverChannel.close().syncUninterruptibly();
    }
  }
}
