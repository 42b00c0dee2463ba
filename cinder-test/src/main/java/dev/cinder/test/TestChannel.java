package dev.cinder.test;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.StopReason;
import dev.cinder.test.internal.ChannelRecord;
import dev.cinder.test.internal.Fence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One join of a {@link TestSocket}: push events to the channel, and assert what its client receives — pushes,
 * broadcasts as {@code handleOut} shaped them for this client, replies — and how the channel ends.
 */
public final class TestChannel {
  private final TestSocket socket;
  private final String topic;
  private final String joinRef;
  private final ChannelRecord record;
  private final Duration wait;

  TestChannel(TestSocket socket, String topic, String joinRef, ChannelRecord record, Duration wait) {
    this.socket = socket;
    this.topic = topic;
    this.joinRef = joinRef;
    this.record = record;
    this.wait = wait;
  }

  /** The topic joined. */
  public String topic() {
    return topic;
  }

  /** Pushes {@code event} with {@code payload} (a map, record or JSON) to the channel's {@code handleIn}. */
  public PendingReply push(String event, Object payload) {
    String ref = nextRef();
    socket.send(joinRef, ref, topic, event, payload);
    return new PendingReply(this, event, ref);
  }

  /** Pushes {@code event} with an empty payload. */
  public PendingReply push(String event) {
    return push(event, Map.of());
  }

  /**
   * Waits for a push or broadcast of {@code event} to this client (after {@code handleOut}, if the channel
   * intercepts it) and returns its payload; it is taken, so the next call waits for the next one.
   */
  public Payload assertPush(String event) {
    return take(r -> !r.isReply() && r.event().equals(event), () -> "a push \"" + event + "\" on " + topic).payload();
  }

  /** {@link #assertPush(String)} whose payload equals {@code expected} as JSON. */
  public Payload assertPush(String event, Object expected) {
    Payload payload = assertPush(event);
    Payloads.assertEqual(expected, payload, "push \"" + event + "\" on " + topic);
    return payload;
  }

  /**
   * Fails if a push of {@code event} arrived (and was not taken), or arrives before every joined channel has handled
   * what was sent to it so far: a marker goes through each channel's mailbox, no sleep.
   */
  public void refutePush(String event) {
    socket.fenceAll();
    List<Received> found = socket.inbox().unread(r -> mine(r) && !r.isReply() && r.event().equals(event));
    if (!found.isEmpty()) {
      throw new AssertionError("expected no push \"" + event + "\" on " + topic + ", got" + TestSocket.describe(found));
    }
  }

  /** Hands {@code message} to the channel's {@code handleInfo}, as {@code ctx.send} would. */
  public void sendInfo(Object message) {
    context().send(message);
  }

  /** Leaves: waits for the leave's reply, the {@code phx_close}, and {@code terminate} with {@link StopReason#LEFT}. */
  public void leave() {
    String ref = nextRef();
    socket.send(joinRef, ref, topic, "phx_leave", Map.of());
    take(r -> r.isReply() && ref.equals(r.ref()), () -> "the reply to the leave of " + topic);
    take(r -> r.event().equals("phx_close"), () -> "phx_close on " + topic);
    assertTerminated(StopReason.LEFT);
  }

  /** Waits for the channel's {@code terminate} and asserts its reason. */
  public void assertTerminated(StopReason expected) {
    StopReason reason = awaitEnd();
    if (reason != expected) {
      AssertionError error = new AssertionError("expected " + topic + " to terminate with " + expected + " but it "
          + "terminated with " + reason + (record.failure() == null ? "" : " after " + record.failure()));
      if (record.failure() != null) {
        error.initCause(record.failure());
      }
      throw error;
    }
  }

  /**
   * Asserts that a callback threw: the channel terminated with {@link StopReason#CRASHED} and its client got
   * {@code phx_error}. Returns what was thrown.
   */
  public Throwable assertCrashed() {
    assertTerminated(StopReason.CRASHED);
    take(r -> r.event().equals("phx_error"), () -> "phx_error on " + topic);
    return record.failure();
  }

  /** Asserts that the server ended the join with {@code phx_close} (the channel stopped), and waits for its end. */
  public StopReason assertClosed() {
    take(r -> r.event().equals("phx_close"), () -> "phx_close on " + topic);
    return awaitEnd();
  }

  /** Whether the channel has terminated. */
  public boolean isTerminated() {
    return record.ended().isDone();
  }

  /** What a callback of the channel threw first, or null. */
  public Throwable failure() {
    return record.failure();
  }

  /** Every message of this join received so far, taken by assertions or not. */
  public List<Received> received() {
    return socket.inbox().all(this::mine);
  }

  // For the socket and replies ----------------------------------------------------------------------------

  String nextRef() {
    return socket.nextRef();
  }

  void fenceAllForReply() {
    socket.fenceAll();
  }

  Received take(Predicate<Received> match, java.util.function.Supplier<String> what) {
    return socket.inbox().take(r -> mine(r) && match.test(r), wait, () -> false)
        .orElseThrow(() -> new AssertionError("expected " + what.get() + " within " + wait + "; " + topic
            + " received:" + TestSocket.describe(socket.inbox().unread(this::mine)) + ended()));
  }

  private String ended() {
    if (!record.ended().isDone()) {
      return "";
    }
    return "\n  (the channel terminated: " + record.ended().join()
        + (record.failure() == null ? "" : ", after " + record.failure()) + ")";
  }

  /** A message for this join: its join_ref, or a broadcast (no join_ref) while this join is the topic's current one. */
  boolean mine(Received r) {
    return r.topic().equals(topic) && !r.event().equals(Fence.EVENT)
        && (joinRef.equals(r.joinRef()) || (r.joinRef() == null && r.ref() == null && socket.isCurrent(this))
            || (r.isReply() && r.joinRef() == null));
  }

  /** Waits until the channel has handled everything queued before; returns at once if it has ended. */
  void fence() {
    if (record.ended().isDone()) {
      return;
    }
    String id = socket.nextRef();
    context().send(new Fence(id));
    socket.inbox().take(r -> r.event().equals(Fence.EVENT) && r.topic().equals(topic) && id.equals(r.payload().string("id")),
        wait, () -> record.ended().isDone())
        .orElseGet(() -> {
          if (!record.ended().isDone()) {
            throw new AssertionError(topic + " " + ChannelTest.FENCE_TIMEOUT + " within " + wait + ": is a callback stuck?");
          }
          return null;
        });
  }

  private StopReason awaitEnd() {
    try {
      return record.ended().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError(topic + " did not terminate within " + wait + "; it received:"
          + TestSocket.describe(received()));
    } catch (Exception e) {
      throw new AssertionError("waiting for " + topic + " to terminate failed", e);
    }
  }

  private ChannelContext context() {
    return record.context().getNow(null);
  }

  @Override
  public String toString() {
    return "TestChannel[" + topic + ", joinRef=" + joinRef + "]";
  }
}
