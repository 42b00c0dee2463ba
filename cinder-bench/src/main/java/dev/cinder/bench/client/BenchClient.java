package dev.cinder.bench.client;

import dev.cinder.bench.wire.ClientFrames;
import dev.cinder.bench.wire.ServerFrame;
import dev.cinder.bench.wire.WallClock;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One Phoenix V2 socket with one joined topic: WebSocket handshake, {@code phx_join}, a heartbeat every 30 s as
 * phoenix.js sends them, and every other frame handed to the fleet's current {@link Traffic}. I/O thread only,
 * which is why scenarios reach it through {@link #execute}.
 */
public final class BenchClient extends SimpleChannelInboundHandler<Object> {
  static final long HEARTBEAT_SECONDS = 30;
  private static final String JOIN_REF = "1";

  private final Fleet fleet;
  private final String topic;
  private final WebSocketClientHandshaker handshaker;
  private final long startNanos = System.nanoTime();
  final CompletableFuture<BenchClient> joined = new CompletableFuture<>();
  /** Per-socket state of the current scenario; touched only on this client's I/O thread. */
  public Object scenarioState;
  private Channel channel;
  private long joinSentNanos;
  private int nextRef = 2;
  private int heartbeats;
  private boolean closedByUs;

  BenchClient(Fleet fleet, String topic, WebSocketClientHandshaker handshaker) {
    this.fleet = fleet;
    this.topic = topic;
    this.handshaker = handshaker;
  }

  public String topic() {
    return topic;
  }

  public String joinRef() {
    return JOIN_REF;
  }

  /** Sends a push on the joined topic and returns its ref; I/O thread only (see {@link #execute}). */
  public String push(String event, String payloadJson) {
    String ref = Integer.toString(nextRef++);
    channel.writeAndFlush(new TextWebSocketFrame(ClientFrames.push(JOIN_REF, ref, topic, event, payloadJson)));
    return ref;
  }

  /** Runs a task on this client's I/O thread. */
  public void execute(Runnable task) {
    channel.eventLoop().execute(task);
  }

  boolean isJoined() {
    return joined.isDone() && !joined.isCompletedExceptionally() && isOpen();
  }

  boolean isOpen() {
    return channel != null && channel.isOpen();
  }

  void close() {
    closedByUs = true;
    if (channel != null && channel.isActive()) {
      channel.writeAndFlush(new CloseWebSocketFrame(1000, "bench done")).addListener(f -> channel.close());
    }
  }

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
    if (msg instanceof FullHttpResponse response) {
      handshaker.finishHandshake(channel, response); // throws on a refusal (e.g. 403): exceptionCaught records it
      fleet.connectHistogram.recordMicros(System.nanoTime() - startNanos);
      joinSentNanos = System.nanoTime();
      channel.writeAndFlush(new TextWebSocketFrame(ClientFrames.join(JOIN_REF, topic)));
      channel.eventLoop().scheduleAtFixedRate(this::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
      return;
    }
    if (msg instanceof CloseWebSocketFrame) {
      ctx.close();
      return;
    }
    if (!(msg instanceof WebSocketFrame frame) || !(msg instanceof TextWebSocketFrame)) {
      fleet.counters.badFrames.increment();
      return;
    }
    long now = WallClock.micros();
    ServerFrame f = ServerFrame.parse(ByteBufUtil.getBytes(frame.content()));
    if (f == null) {
      fleet.badFrame("unparsable");
    } else if ("phoenix".equals(f.topic())) {
      onHeartbeatReply(f);
    } else if (!joined.isDone() && JOIN_REF.equals(f.ref())) {
      onJoinReply(f);
    } else if ("phx_reply".equals(f.event()) && f.joinRef() != null && f.ref() != null) {
      if (!fleet.traffic.onReply(this, f, now)) {
        fleet.badFrame("unexpected reply on " + f.topic());
      }
    } else if (!fleet.traffic.onFrame(this, f, now)) {
      fleet.badFrame(f.event() + " on " + f.topic());
    }
  }

  private void onJoinReply(ServerFrame f) {
    fleet.joinHistogram.recordMicros(System.nanoTime() - joinSentNanos);
    if (!topic.equals(f.topic())) {
      fleet.badFrame("join reply for another topic");
    }
    if (ClientFrames.isOkReply(f) && JOIN_REF.equals(f.joinRef())) {
      joined.complete(this);
      return;
    }
    String reason = ClientFrames.errorReason(f);
    // An "unmatched topic" refusal carries a null join_ref (spec §3.4); anything else is a protocol slip.
    if ("unmatched topic".equals(reason) && f.joinRef() != null) {
      fleet.badFrame("unmatched-topic reply with a join_ref");
    }
    joined.completeExceptionally(new JoinRefused(reason == null ? f.payload() : reason));
  }

  private void heartbeat() {
    if (channel.isActive()) {
      channel.writeAndFlush(new TextWebSocketFrame(ClientFrames.heartbeat("h" + heartbeats++)));
    }
  }

  private void onHeartbeatReply(ServerFrame f) {
    boolean ok = f.joinRef() == null && f.ref() != null && f.ref().startsWith("h") && ClientFrames.isOkReply(f);
    if (ok) {
      fleet.counters.heartbeatReplies.increment();
    } else {
      fleet.badFrame("heartbeat reply");
    }
  }

  /** A join answered with an error status. */
  public static final class JoinRefused extends RuntimeException {
    public JoinRefused(String reason) {
      super(reason, null, false, false);
    }
  }
}
