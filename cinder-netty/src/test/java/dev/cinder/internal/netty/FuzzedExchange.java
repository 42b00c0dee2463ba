package dev.cinder.internal.netty;

import dev.cinder.PubSub;
import dev.cinder.internal.netty.http.HttpExchanges;
import dev.cinder.internal.netty.longpoll.LongPollSessions;
import dev.cinder.token.PhoenixToken;
import io.netty.util.ReferenceCountUtil;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One fuzzed client on one server connection: sends its bytes by the {@link ClientSchedule}, holding them back
 * while the server does not read (as the kernel would), runs the server's off-loop work (routes, connects,
 * long-poll POSTs) on the test thread at the points the schedule picks, then vanishes or goes quiet until the
 * server closes. Time is the connection's own: waiting for a timer is moving the clock to it.
 */
final class FuzzedExchange implements AutoCloseable {
  /** How long a quiet client may be kept before that counts as held forever (any timer is far shorter). */
  private static final long QUIET_LIMIT_NANOS = TimeUnit.MINUTES.toNanos(10);
  /** How long to wait for another thread (a channel process) before deciding that nothing will come. */
  private static final long FOREIGN_WAIT_MS = 2000;

  private final ClientSchedule schedule;
  private final LongPollSessions sessions;
  private final List<Runnable> offLoop = new ArrayList<>();
  private final HttpPipeline pipeline;
  private final EmbeddedHttpConnection ch;
  private final java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
  private boolean closedByServer;

  FuzzedExchange(ClientSchedule schedule, PhoenixToken tokens, PubSub pubSub, RequestLog requests) {
    this.schedule = schedule;
    this.sessions = new LongPollSessions(tokens, Duration.ofHours(1), pubSub);
    this.pipeline = HttpRequestFuzzTest.pipeline(sessions, offLoop::add);
    this.ch = new EmbeddedHttpConnection(HttpRequestFuzzTest.initializer(pipeline, requests));
  }

  /** Sends {@code stream}, then ends the way the schedule says. */
  void run(byte[] stream) throws InterruptedException {
    int at = 0;
    while (at < stream.length && ch.isOpen()) {
      awaitReading();
      if (!ch.isOpen()) {
        break;
      }
      stream = LongPollTokens.fillIn(stream, at, ch.written());
      int n = Math.min(stream.length - at, schedule.nextReadSize());
      ch.writeInbound(ch.alloc().buffer(n).writeBytes(stream, at, n));
      sent.write(stream, at, n);
      at += n;
      ch.runPending();
      if (schedule.answerNow()) {
        runOffLoop();
      }
      long pause = schedule.pauseMillis();
      if (pause > 0) {
        ch.advanceTimeBy(pause, TimeUnit.MILLISECONDS);
        ch.runPending();
      }
    }
    if (schedule.vanishes()) {
      closedByServer = !ch.isOpen();
    } else {
      goQuiet();
    }
  }

  /** While the server does not read, lets it make progress: its off-loop work, its timers, other threads. */
  private void awaitReading() throws InterruptedException {
    long waited = 0;
    while (ch.isOpen() && !ch.config().isAutoRead()) {
      if (!offLoop.isEmpty()) {
        runOffLoop();
      } else if (!ch.runPending()) {
        waited += waitForSomething("stopped reading");
        assertThat(waited).as("nanoseconds the server did not read").isLessThanOrEqualTo(QUIET_LIMIT_NANOS);
      }
    }
  }

  /** The client sends nothing more and waits: the server must close the connection by itself. */
  private void goQuiet() throws InterruptedException {
    long waited = 0;
    while (ch.isOpen()) {
      if (ch.pipeline().get(HttpExchanges.class) == null) {
        return; // a WebSocket now: its idle timer reads the system clock, not this connection's
      }
      if (!offLoop.isEmpty()) {
        runOffLoop();
      } else if (!ch.runPending()) {
        waited += waitForSomething("went quiet");
        assertThat(waited).as("nanoseconds a quiet client was kept").isLessThanOrEqualTo(QUIET_LIMIT_NANOS);
      }
    }
    closedByServer = true;
  }

  /** Moves the clock to the next timer, or waits for another thread; returns the time moved. */
  private long waitForSomething(String state) throws InterruptedException {
    long next = ch.nextTimerNanos();
    if (next >= 0) {
      ch.advanceTimeBy(next, TimeUnit.NANOSECONDS);
      ch.runPending();
      return next;
    }
    assertThat(ch.awaitForeignTask(FOREIGN_WAIT_MS))
        .as("the client " + state + ", and the server has no timer and nothing to wait for: held forever").isTrue();
    ch.runPending();
    return 0;
  }

  private void runOffLoop() {
    while (!offLoop.isEmpty()) {
      offLoop.remove(schedule.pick(offLoop.size())).run();
      ch.runPending();
    }
  }

  /** Whether the server closed the connection before the client left. */
  boolean closedByServer() {
    return closedByServer;
  }

  /** What the server read (the client's bytes, placeholders filled in), in order. */
  byte[] sent() {
    return sent.toByteArray();
  }

  /** What the server sent, in order. */
  byte[] written() {
    return ch.written();
  }

  /** The body bytes in flight once the connection is closed and all it owed has run: must be 0. */
  long bodyBytesInFlightAfterClose() {
    settle();
    return pipeline.budget().used();
  }

  /**
   * Closes the connection (the client is gone) and ends the sessions it opened; everything still owed runs
   * and finds it closed. Then: no exception reached the end of the pipeline, and nothing unhandled did.
   */
  private void settle() {
    ch.close();
    ch.runPending();
    runOffLoop();
  }

  @Override
  public void close() {
    settle();
    sessions.close();
    ch.runPending();
    List<Object> unhandled = new ArrayList<>();
    for (Object msg; (msg = ch.readInbound()) != null; ) {
      unhandled.add(msg.getClass().getName());
      ReferenceCountUtil.release(msg);
    }
    ch.checkException();
    assertThat(unhandled).as("messages no handler took").isEmpty();
    assertThat(ch.unexpectedWrite()).as("a message written that was not bytes").isNull();
  }
}
