package dev.cinder.bench.soak;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** A soak session over one WebSocket ({@code vsn=2.0.0}, text frames). */
final class SoakWebSocket implements SoakTransport {
  private final Bootstrap bootstrap;
  private final InetSocketAddress server;
  private final InetSocketAddress local;
  private final WebSocketClientHandshaker handshaker;
  private final Link link;
  private Channel channel;
  private boolean open;
  private boolean closing;
  private boolean serverClosed;
  private boolean ended;
  private int closeCode = 1006;
  private String why = "the connection ended without a close frame";

  SoakWebSocket(Bootstrap bootstrap, InetSocketAddress server, InetSocketAddress local, String token, String device, Link link) {
    this.bootstrap = bootstrap;
    this.server = server;
    this.local = local;
    this.link = link;
    URI uri = URI.create("ws://" + server.getHostString() + ":" + server.getPort() + "/socket/websocket?vsn=2.0.0&token="
        + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&device=" + device);
    this.handshaker = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13, null, false,
        new DefaultHttpHeaders(), 16 << 20, true, false, 10_000L, false, false);
  }

  @Override
  public void open() {
    long start = System.nanoTime();
    Connects.connect(bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(64 * 1024), new Handler());
      }
    }), server, local, link.stats(), cause -> {
      why = "connect failed after " + (System.nanoTime() - start) / 1_000_000 + " ms: " + describe(cause);
      end();
    });
  }

  @Override
  public void send(String text) {
    if (open && channel.isActive()) {
      channel.writeAndFlush(new TextWebSocketFrame(text));
    }
  }

  @Override
  public void close() {
    closing = true;
    if (channel == null || !channel.isActive()) {
      end();
      return;
    }
    channel.writeAndFlush(new CloseWebSocketFrame(1000, "bye"));
    // The server answers with its close frame and closes the TCP connection; if it does not, stop waiting.
    channel.eventLoop().schedule(() -> channel.close(), 10, TimeUnit.SECONDS);
  }

  @Override
  public void abort() {
    closing = true;
    why = "aborted (TCP reset)";
    if (channel == null) {
      end();
      return;
    }
    channel.config().setOption(ChannelOption.SO_LINGER, 0);
    channel.close();
  }

  /** An exception with where it came from (Netty's stackless ones keep just that frame) and its cause. */
  static String describe(Throwable t) {
    StackTraceElement[] at = t.getStackTrace();
    return t + (at.length == 0 ? "" : " at " + at[0]) + (t.getCause() == null ? "" : ", caused by " + describe(t.getCause()));
  }

  private void end() {
    if (!ended) {
      ended = true;
      link.ended(this, new Ending(closing && !serverClosed, closeCode, why));
    }
  }

  /** The handshake response, then frames. */
  private final class Handler extends SimpleChannelInboundHandler<Object> {
    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      channel = ctx.channel();
      handshaker.handshake(channel);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      switch (msg) {
        case FullHttpResponse response -> {
          try {
            handshaker.finishHandshake(channel, response);
          } catch (RuntimeException e) {
            why = "upgrade refused: HTTP " + response.status().code();
            ctx.close();
            return;
          }
          open = true;
          link.opened(SoakWebSocket.this);
        }
        case TextWebSocketFrame text -> link.text(SoakWebSocket.this, ByteBufUtil.getBytes(text.content()));
        case CloseWebSocketFrame close -> {
          closeCode = close.statusCode();
          why = "close frame " + close.statusCode() + " " + close.reasonText();
          if (!closing) { // the server's close: answer it, as RFC 6455 asks
            serverClosed = true;
            closing = true;
            ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode(), "")).addListener(f -> ctx.close());
          } else {
            ctx.close();
          }
        }
        case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        case PongWebSocketFrame pong -> { }
        default -> link.problem("non-text WebSocket frame", msg.getClass().getSimpleName());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      end();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      if (!closing) {
        why = String.valueOf(cause);
      }
      ctx.close();
    }
  }
}
