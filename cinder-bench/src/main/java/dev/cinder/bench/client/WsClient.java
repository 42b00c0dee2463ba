package dev.cinder.bench.client;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import dev.cinder.bench.wire.WallClock;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@link PhxClient} over one WebSocket: handshake, then one text frame per message each way. */
final class WsClient extends PhxClient {
  private final WebSocketClientHandshaker handshaker;
  private final long startNanos = System.nanoTime();
  private Channel channel;
  private boolean closedByUs;

  WsClient(Fleet fleet, int index, List<String> topics, String[] recoverFrom, WebSocketClientHandshaker handshaker) {
    super(fleet, index, topics, recoverFrom);
    this.handshaker = handshaker;
  }

  /** The pipeline's last handler: the HTTP upgrade response, then WebSocket frames. */
  SimpleChannelInboundHandler<Object> handler() {
    return new SimpleChannelInboundHandler<>() {
      @Override
      public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        handshaker.handshake(channel);
      }

      @Override
      public void channelInactive(ChannelHandlerContext ctx) {
        if (!joined.isDone()) {
          joined.completeExceptionally(new IllegalStateException("closed before the join reply"));
        } else if (!closedByUs) {
          fleet.counters.unexpectedCloses.increment();
        }
      }

      @Override
      public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        joined.completeExceptionally(cause);
        ctx.close();
      }

      @Override
      protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        read(ctx, msg);
      }
    };
  }

  private void read(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpResponse response) {
      handshaker.finishHandshake(channel, response); // throws on a refusal (e.g. 403): exceptionCaught records it
      fleet.connectHistogram.recordMicros(System.nanoTime() - startNanos);
      sendJoins();
      channel.eventLoop().scheduleAtFixedRate(() -> {
        if (channel.isActive()) {
          heartbeat();
        }
      }, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    } else if (msg instanceof CloseWebSocketFrame) {
      ctx.close();
    } else if (msg instanceof TextWebSocketFrame frame) {
      // Parsed in this thread's reused array: onText keeps nothing of the frame once it returns.
      onText(FrameBuffer.copy(frame.content()), frame.content().readableBytes(), WallClock.micros());
    } else {
      fleet.counters.badFrames.increment();
    }
  }

  @Override
  protected void send(String text) {
    channel.writeAndFlush(new TextWebSocketFrame(text));
  }

  @Override
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  @Override
  boolean isOpen() {
    return channel != null && channel.isOpen();
  }

  @Override
  void close() {
    closedByUs = true;
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(f -> channel.close());
    }
  }

  /** No close frame, and a TCP reset instead of a FIN (linger 0): the server learns of it only from the socket. */
  @Override
  void abort() {
    closedByUs = true;
    if (channel != null && channel.isOpen()) {
      channel.config().setOption(ChannelOption.SO_LINGER, 0);
      channel.close();
    }
  }
}
