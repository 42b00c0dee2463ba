package dev.cinder.netty;

import dev.cinder.serializer.Frame;
import dev.cinder.socket.Connection;
import dev.cinder.socket.SocketMount;
import dev.cinder.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import io.netty.channel.ChannelHandlerContext;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-poll "connection" (spec §6): a socket session whose outbound messages wait in a buffer until the
 * client's next GET takes them. At most one GET is held at a time; a newer GET answers the older with 204.
 */
final class LongPollSession implements Connection {
  private static final Logger log = LoggerFactory.getLogger(LongPollSession.class);

  /** A held GET: answered when messages arrive, with 204 when the window ends, or 410 when the session ends. */
  private record Poll(ChannelHandlerContext ctx, boolean keepAlive, ScheduledFuture<?> timeout) {}

  final String id;
  final String token;
  private final SocketMount mount;
  private final Telemetry telemetry;
  private final Runnable onEnd;
  private final ArrayDeque<String> buffer = new ArrayDeque<>();
  private long bufferedBytes;
  private Poll poll;
  private long lastPollNanos = System.nanoTime();
  private boolean ended;
  private SocketSession session;

  LongPollSession(String id, String token, SocketMount mount, Runnable onEnd) {
    this.id = id;
    this.token = token;
    this.mount = mount;
    this.telemetry = mount.telemetry();
    this.onEnd = onEnd;
  }

  void attach(SocketSession session) {
    this.session = session;
  }

  SocketSession session() {
    return session;
  }

  @Override
  public String transport() {
    return "longpoll";
  }

  @Override
  public void send(Frame frame) {
    if (frame.binary()) {
      // Long-poll carries text only (spec §2.5): a binary push cannot reach this client.
      log.debug("long-poll session {}: binary frame dropped", id);
      telemetry.dropped();
      return;
    }
    synchronized (this) {
      if (ended) {
        telemetry.dropped();
        return;
      }
      if (bufferedBytes + frame.bytes().length > mount.options().maxQueuedBytes()) {
        telemetry.dropped();
        telemetry.slowConsumer("longpoll", "close", bufferedBytes);
        log.info("ending long-poll session {}: {} bytes buffered for a client that does not poll", id, bufferedBytes);
        endLocked();
        return;
      }
      buffer.add(frame.text());
      bufferedBytes += frame.bytes().length;
      if (poll != null) {
        answerWithMessagesLocked();
      }
    }
  }

  @Override
  public void close(int code, String reason) {
    synchronized (this) {
      if (!ended) {
        endLocked();
      }
    }
  }

  /** A GET arrived: answer at once if messages wait, else hold it for up to the window. */
  void poll(ChannelHandlerContext ctx, boolean keepAlive) {
    synchronized (this) {
      lastPollNanos = System.nanoTime();
      if (ended) {
        LongPollTransport.respond(ctx, keepAlive, LongPollTransport.status(410, token));
        return;
      }
      if (poll != null) {
        answerLocked(LongPollTransport.status(204, token));
      }
      if (!buffer.isEmpty()) {
        poll = new Poll(ctx, keepAlive, null);
        answerWithMessagesLocked();
        return;
      }
      long windowMs = mount.options().longPollWindow().toMillis();
      ScheduledFuture<?> timeout = ctx.executor().schedule(this::windowEnded, windowMs, TimeUnit.MILLISECONDS);
      poll = new Poll(ctx, keepAlive, timeout);
    }
  }

  private void windowEnded() {
    synchronized (this) {
      if (poll != null) {
        answerLocked(LongPollTransport.status(204, token));
      }
    }
  }

  /** Whether the client stopped polling: no GET held and none answered within 1.5 windows. */
  synchronized boolean idle() {
    long idleNanos = mount.options().longPollWindow().toNanos() * 3 / 2;
    return poll == null && System.nanoTime() - lastPollNanos > idleNanos;
  }

  private void answerWithMessagesLocked() {
    List<String> messages = new ArrayList<>(buffer);
    buffer.clear();
    bufferedBytes = 0;
    answerLocked(LongPollTransport.messages(token, messages));
  }

  private void answerLocked(java.util.Map<String, Object> body) {
    Poll held = poll;
    poll = null;
    lastPollNanos = System.nanoTime();
    if (held.timeout() != null) {
      held.timeout().cancel(false);
    }
    LongPollTransport.respond(held.ctx(), held.keepAlive(), body);
  }

  private void endLocked() {
    ended = true;
    buffer.clear();
    bufferedBytes = 0;
    if (poll != null) {
      answerLocked(LongPollTransport.status(410, token));
    }
    onEnd.run();
    if (session != null) {
      session.transportClosed();
      telemetry.socketClosed(mount.path(), "longpoll");
    }
  }
}
