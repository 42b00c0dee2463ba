package dev.cinder.internal.netty.longpoll;

import dev.cinder.SlowConsumerPolicy;
import dev.cinder.internal.netty.longpoll.forward.ForwardedSession;
import dev.cinder.internal.netty.longpoll.forward.PollAnswer;
import dev.cinder.internal.netty.longpoll.forward.PostOutcome;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.socket.SocketSession;
import dev.cinder.telemetry.Telemetry;
import io.netty.channel.ChannelHandlerContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One long-poll "connection": a socket session whose outbound messages wait in a buffer until the
 * client's next GET takes them. At most one GET is held at a time; a newer GET answers the older with 204.
 * The buffer holds at most {@code maxQueuedBytes} of frames (which also bounds their number); past that the
 * slow-consumer policy applies.
 */
final class LongPollSession implements Connection, ForwardedSession {
  private static final Logger log = LoggerFactory.getLogger(LongPollSession.class);

  /** A held GET: answered when messages arrive, with 204 when the window ends, or 410 when the session ends. */
  private record Poll(PollAnswer answer, ScheduledFuture<?> timeout) {}

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
  private boolean endOnceDelivered; // a drain asked to end: the next answer with messages is the last
  // Answers that carried messages so far: a forwarded GET whose client vanished may put its messages back
  // only while no later answer went out, so the client never sees them out of order.
  private long generation;
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

  SocketMount mount() {
    return mount;
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Duration window() {
    return mount.options().longPollWindow();
  }

  @Override
  public String transport() {
    return "longpoll";
  }

  @Override
  public void send(Frame frame) {
    if (frame.binary()) {
      // Long-poll carries text only: a binary push cannot reach this client.
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
        slowConsumerLocked();
        return;
      }
      buffer.add(frame.text());
      bufferedBytes += frame.bytes().length;
      if (poll != null) {
        answerWithMessagesLocked();
      }
    }
  }

  /**
   * The client does not poll fast enough and this frame does not fit: drop it, or end the session, per the
   * mount's policy, as a WebSocket would. An ended session answers the next poll 410, so the official client
   * closes with 3410 ("session_gone"), reconnects and rejoins.
   */
  private void slowConsumerLocked() {
    telemetry.dropped();
    if (mount.options().slowConsumerPolicy() == SlowConsumerPolicy.DROP) {
      telemetry.slowConsumer("longpoll", "drop", bufferedBytes);
      return;
    }
    telemetry.slowConsumer("longpoll", "close", bufferedBytes);
    log.info("ending long-poll session {}: {} bytes buffered for a client that does not poll", id, bufferedBytes);
    endLocked();
  }

  @Override
  public void close(int code, String reason) {
    synchronized (this) {
      if (!ended) {
        endLocked();
      }
    }
  }

  /**
   * Ends the session once the client has taken what is buffered for it, as a WebSocket gets its queued frames
   * before its close frame: at once when nothing is buffered, else right after the next poll's answer (the poll
   * after that gets 410). A drain's way to close; a client that never polls again is ended by the idle sweep.
   */
  void endOnceDelivered() {
    synchronized (this) {
      if (ended) {
        return;
      }
      if (buffer.isEmpty()) {
        endLocked();
      } else {
        endOnceDelivered = true;
      }
    }
  }

  /** A GET arrived on this node: answer at once if messages wait, else hold it for up to the window. */
  void poll(ChannelHandlerContext ctx, boolean keepAlive) {
    poll(new HttpPollAnswer(ctx, keepAlive, token), ctx.executor());
  }

  /** A GET, here or forwarded from another node; {@code timer} ends its window. */
  @Override
  public void poll(PollAnswer answer, ScheduledExecutorService timer) {
    synchronized (this) {
      lastPollNanos = System.nanoTime();
      if (ended) {
        answer.status(410);
        return;
      }
      if (poll != null) {
        answerLocked(204);
      }
      if (!buffer.isEmpty()) {
        poll = new Poll(answer, null);
        answerWithMessagesLocked();
        return;
      }
      long windowMs = mount.options().longPollWindow().toMillis();
      ScheduledFuture<?> timeout = timer.schedule(this::windowEnded, windowMs, TimeUnit.MILLISECONDS);
      poll = new Poll(answer, timeout);
    }
  }

  /** The client behind a held forwarded GET went away: forget the GET unanswered, the messages stay here. */
  @Override
  public synchronized boolean cancel(PollAnswer answer) {
    if (poll == null || poll.answer() != answer) {
      return false;
    }
    if (poll.timeout() != null) {
      poll.timeout().cancel(false);
    }
    poll = null;
    lastPollNanos = System.nanoTime();
    return true;
  }

  /**
   * Messages a forwarded GET took but could not hand to its client go back to the front of the buffer, if
   * no later answer went out meanwhile (else they would arrive out of order, and are dropped instead).
   */
  @Override
  public void requeue(List<String> messages, long answeredGeneration) {
    synchronized (this) {
      if (ended || answeredGeneration != generation) {
        messages.forEach(m -> telemetry.dropped());
        log.debug("long-poll session {}: {} message(s) of a vanished poll dropped", id, messages.size());
        return;
      }
      for (int i = messages.size() - 1; i >= 0; i--) {
        buffer.addFirst(messages.get(i));
        bufferedBytes += messages.get(i).getBytes(StandardCharsets.UTF_8).length;
      }
      if (poll != null) {
        answerWithMessagesLocked();
      }
    }
  }

  private void windowEnded() {
    synchronized (this) {
      if (poll != null) {
        answerLocked(204);
      }
    }
  }

  @Override
  public synchronized boolean ended() {
    return ended;
  }

  /** A POST forwarded from another node: decoded and dispatched, its outcome awaited on this thread. */
  @Override
  public void post(String body, boolean ndjson, Consumer<PostOutcome> done) {
    LongPollPost.deliver(this, body, ndjson, Runnable::run, done);
  }

  /** The bytes of the messages buffered for the client's next poll. */
  @Override
  public synchronized long queuedBytes() {
    return bufferedBytes;
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
    generation++;
    takePollLocked().messages(messages, generation);
    if (endOnceDelivered) {
      endLocked();
    }
  }

  private void answerLocked(int status) {
    takePollLocked().status(status);
  }

  private PollAnswer takePollLocked() {
    Poll held = poll;
    poll = null;
    lastPollNanos = System.nanoTime();
    if (held.timeout() != null) {
      held.timeout().cancel(false);
    }
    return held.answer();
  }

  private void endLocked() {
    ended = true;
    buffer.clear();
    bufferedBytes = 0;
    if (poll != null) {
      answerLocked(410);
    }
    onEnd.run();
    if (session != null) {
      session.transportClosed();
    }
  }
}
