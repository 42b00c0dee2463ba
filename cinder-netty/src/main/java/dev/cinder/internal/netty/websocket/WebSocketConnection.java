package dev.cinder.internal.netty.websocket;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.netty.drain.OpenSocket;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.CloseCodes;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One WebSocket as its {@link SocketSession} sees it: frames the session sends go to the {@link OutboundQueue},
 * applying the mount's slow-consumer policy when it is full, and a close goes out through the
 * {@link ClosingHandshake} after what was queued. Once closing, nothing more is sent or received. The handlers of
 * the pipeline report to it: {@link InboundFrames} (the client's frames, the end of the connection),
 * {@link WebSocketIdleTimer} and {@link WebSocketErrors}.
 */
final class WebSocketConnection implements Connection {
  private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);

  private final Channel channel;
  private final SocketMount mount;
  private final Telemetry telemetry;
  private final OpenConnections openConnections;
  private final ClosingHandshake closingHandshake;
  private final OutboundQueue outbound;
  private final AtomicBoolean closing = new AtomicBoolean();
  private SocketSession session;

  WebSocketConnection(Channel channel, SocketMount mount, OpenConnections openConnections,
      ClosingHandshake closingHandshake, OutboundQueue outbound) {
    this.channel = channel;
    this.mount = mount;
    this.telemetry = mount.telemetry();
    this.openConnections = openConnections;
    this.closingHandshake = closingHandshake;
    this.outbound = outbound;
  }

  /** Called once, on the event loop, right after the handshake and before reading resumes. */
  void open(SocketMount.Accepted accepted) {
    session = accepted.open(this);
    openConnections.add(this);
  }

  SocketSession session() {
    return session;
  }

  /** This connection and its session, for a drain (close 1012, after the queued frames); once opened. */
  OpenSocket openSocket() {
    return new OpenSocket(() -> close(CloseCodes.SERVICE_RESTART, "server restart"), session);
  }

  /** A broadcast frame: its wire form is built once and shared by every recipient (unless compressed). */
  @Override
  public void sendShared(Frame frame) {
    enqueue(frame, outbound.sharesWireForm() ? SharedWireFrames.of(frame) : null);
  }

  @Override
  public void send(Frame frame) {
    enqueue(frame, null);
  }

  private void enqueue(Frame frame, ByteBuf wire) {
    if (closing.get()) {
      telemetry.dropped();
      return;
    }
    long queued = outbound.offer(frame, wire);
    if (queued > mount.options().maxQueuedBytes()) {
      slowConsumer(queued);
    }
  }

  @Override
  public long queuedBytes() {
    return outbound.pendingBytes();
  }

  /** The client stopped reading fast enough: drop this frame, or close, per the mount's policy. */
  private void slowConsumer(long queued) {
    telemetry.dropped();
    if (mount.options().slowConsumerPolicy() == SlowConsumerPolicy.DROP) {
      telemetry.slowConsumer("websocket", "drop", queued);
      return;
    }
    if (closing.compareAndSet(false, true)) {
      log.info("closing WebSocket {}: {} bytes queued for a client that does not read", sessionId(), queued);
      telemetry.slowConsumer("websocket", "close", queued);
      channel.eventLoop().execute(() -> {
        // The queue is the problem: discard it, so that the close frame is next after what Netty holds.
        outbound.discard();
        closingHandshake.start(CloseCodes.TRY_AGAIN_LATER, "slow consumer");
      });
    }
  }

  @Override
  public String transport() {
    return "websocket";
  }

  @Override
  public void close(int code, String reason) {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    channel.eventLoop().execute(() -> {
      outbound.writeAll(); // what was sent before the close still goes out, in order (at most maxQueuedBytes)
      closingHandshake.start(code, reason);
    });
  }

  /** Whether the connection is closing: nothing more is sent to the client or taken from it. */
  boolean closing() {
    return closing.get();
  }

  /** The client sent its close frame: it is echoed, and the connection closes. */
  void clientClosing() {
    closing.set(true);
  }

  /** The idle timer ran out ({@link WebSocketIdleTimer}); on the event loop. */
  void idleTimedOut() {
    telemetry.transportError("websocket", "idle_timeout");
    log.debug("closing idle WebSocket {}", sessionId());
    close(CloseCodes.GOING_AWAY, "idle timeout");
  }

  /** Closes for a client's mistake, with one short line in the log. */
  void refuse(ClientFault fault) {
    if (fault == ClientFault.TOO_BIG) {
      log.info("closing WebSocket {}: frame over the size limit", sessionId());
    } else {
      log.debug("closing WebSocket {}: {}", sessionId(), fault.reason());
    }
    telemetry.transportError("websocket", fault.kind());
    close(fault.code(), fault.reason());
  }

  /** The connection is gone: what is still queued is dropped and the session ends; on the event loop. */
  void transportClosed() {
    closing.set(true);
    outbound.discard();
    if (session != null) {
      openConnections.remove(this);
      session.transportClosed();
    }
  }

  String sessionId() {
    return session == null ? "(opening)" : LogSafe.clip(session.id());
  }
}
