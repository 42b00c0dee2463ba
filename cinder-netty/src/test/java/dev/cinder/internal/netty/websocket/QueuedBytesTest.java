package dev.cinder.internal.netty.websocket;

import dev.cinder.pubsub.LocalPubSub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.telemetry.Telemetry;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code queuedBytes()} of a WebSocket on a real socket: a client that stops reading leaves what it was sent in
 * Cinder's queue and Netty's buffer, all of it counted but for what the kernel took; once the client reads again
 * it all arrives and nothing is left queued.
 */
class QueuedBytesTest {
  private static final int FRAMES = 1000;
  private static final int PAYLOAD = 1000;
  /** The most the kernel may hold of what was written: the server's small send buffer and the client's window. */
  private static final int KERNEL_SLACK = 48 * 1024;

  private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final OpenConnections openConnections = new OpenConnections();
  private final SocketMount mount = new SocketMount("/socket", new SocketHandler() {
    @Override
    public void routes(Routes routes) {}

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok(Map.of());
    }
  }, SocketOptions.defaults().maxQueuedBytes(8 << 20), new LocalPubSub(), new Telemetry());

  @AfterEach
  void stop() {
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Only what this test needs of the server's HTTP side: every request is a WebSocket upgrade on the mount. */
  private final class UpgradeEveryRequest extends SimpleChannelInboundHandler<FullHttpRequest> {
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      WebSocketUpgrade.handle(ctx, request, mount, Map.of("vsn", "2.0.0"), openConnections, Runnable::run);
    }
  }

  private int startServer() throws InterruptedException {
    Channel server = new ServerBootstrap()
        .group(group)
        .channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.SO_SNDBUF, 8 * 1024) // a fixed, small kernel buffer: the rest stays with Cinder
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(1024), new UpgradeEveryRequest());
          }
        })
        .bind("127.0.0.1", 0).sync().channel();
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Connects, upgrades, reads the 101's head and nothing more. */
  private static Socket upgradedClient(int port) throws IOException {
    Socket socket = new Socket();
    socket.setReceiveBufferSize(4 * 1024); // before connecting, so the window stays small
    socket.connect(new InetSocketAddress("127.0.0.1", port));
    socket.getOutputStream().write(("GET /socket/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
      int b = in.read();
      assertThat(b).as("the handshake's answer").isNotNegative();
      head.write(b);
    }
    assertThat(head.toString(StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101");
    return socket;
  }

  @Test
  void whatAClientDoesNotReadIsCountedUntilItReadsAgain() throws Exception {
    int port = startServer();
    try (Socket client = upgradedClient(port)) {
      await().atMost(Duration.ofSeconds(5)).until(() -> openConnections.size() == 1);
      WebSocketConnection connection = openConnections.list().getFirst();
      await().atMost(Duration.ofSeconds(5)).until(() -> connection.queuedBytes() == 0);

      String text = "x".repeat(PAYLOAD);
      for (int i = 0; i < FRAMES; i++) {
        connection.send(Frame.text(text));
      }
      long sent = (long) FRAMES * PAYLOAD;
      long wire = (long) FRAMES * (PAYLOAD + 4); // each frame's header: 4 bytes for a 1000-byte text frame
      // The kernel takes what fits; Netty holds past its high water mark (64 KiB, more than the kernel's share)
      // and the rest waits in Cinder's queue: all of it counted, so at most the kernel's share is missing.
      await().atMost(Duration.ofSeconds(5)).until(() -> connection.queuedBytes() < sent);
      assertThat(connection.queuedBytes()).isBetween(sent - KERNEL_SLACK, wire);

      long received = readAll(client.getInputStream(), wire);
      assertThat(received).isEqualTo(wire);
      await().atMost(Duration.ofSeconds(5)).until(() -> connection.queuedBytes() == 0);
    }
  }

  /** Reads exactly {@code bytes} bytes (every frame sent), or fails after a few seconds. */
  private static long readAll(InputStream in, long bytes) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long read = 0;
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (read < bytes && System.nanoTime() < deadline) {
      int n = in.read(buffer, 0, (int) Math.min(buffer.length, bytes - read));
      if (n < 0) {
        break;
      }
      read += n;
    }
    return read;
  }
}
