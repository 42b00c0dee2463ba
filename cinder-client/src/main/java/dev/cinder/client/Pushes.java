package dev.cinder.client;

import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.Timers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;

/**
 * The pushes of one channel: those waiting for the join (buffered, as phoenix.js does), those awaiting their
 * reply, and the leave. Each has its timer from the moment it was pushed. Loop only, except {@link #push}.
 */
final class Pushes {
  private final Connection connection;
  private final Channel channel;
  private final ChannelLifecycle life;
  private final ArrayDeque<OutgoingPush> buffer = new ArrayDeque<>();
  private final Map<String, OutgoingPush> awaiting = new HashMap<>();
  private String leaveRef;
  private CompletableFuture<Reply> leaveFuture;
  private Timers.Timer leaveTimer;

  Pushes(Connection connection, Channel channel, ChannelLifecycle life) {
    this.connection = connection;
    this.channel = channel;
    this.life = life;
  }

  /** From any thread: converts the payload here (so that a bad one fails at once), then queues on the loop. */
  CompletableFuture<Reply> push(String event, Object payload, Duration timeout) {
    CompletableFuture<Reply> future = new CompletableFuture<>();
    OutgoingPush push;
    try {
      push = convert(event, payload, timeout, future);
    } catch (RuntimeException e) {
      future.completeExceptionally(new IllegalArgumentException("payload of " + event + " to " + life.topic()
          + " cannot be sent: " + e.getMessage(), e));
      return future;
    }
    connection.loop.execute(() -> {
      if (!life.hasJoined()) {
        connection.fail(future, new IllegalStateException("push of " + event + " to " + life.topic()
            + " before join(): join the channel first"));
        return;
      }
      if (channel.state() == ChannelState.CLOSED || channel.state() == ChannelState.LEAVING) {
        connection.fail(future, new IllegalStateException("push of " + event + " to " + life.topic()
            + ", which was left or closed"));
        return;
      }
      push.timer = Timers.schedule(timeout, connection.loop, () -> timedOut(push));
      if (life.isJoined() && connection.isOpen()) {
        send(push, life.joinRef());
      } else {
        buffer.add(push);
      }
    });
    return future;
  }

  private OutgoingPush convert(String event, Object payload, Duration timeout, CompletableFuture<Reply> future) {
    byte[] binary = null;
    JsonNode json = null;
    if (payload instanceof byte[]) {
      binary = ((byte[]) payload).clone();
    } else if (payload instanceof ByteBuffer) {
      ByteBuffer copy = ((ByteBuffer) payload).duplicate();
      binary = new byte[copy.remaining()];
      copy.get(binary);
    } else if (payload == null) {
      json = connection.mapper.createObjectNode();
    } else {
      json = connection.mapper.valueToTree(payload);
    }
    if (binary != null && connection.config.protocol != Protocol.V2) {
      throw new IllegalArgumentException("binary payloads need Protocol.V2");
    }
    return new OutgoingPush(event, json, binary, timeout, future);
  }

  /** The channel joined: sends what waited, in order. */
  void flush(String joinRef) {
    while (!buffer.isEmpty() && connection.isOpen()) {
      send(buffer.poll(), joinRef);
    }
  }

  void replied(String ref, Reply reply) {
    OutgoingPush push = ref == null ? null : awaiting.remove(ref);
    if (push != null) {
      push.cancelTimer();
      connection.complete(push.future, reply);
    }
  }

  boolean isLeave(String ref) {
    return ref != null && ref.equals(leaveRef);
  }

  void leave(String joinRef, CompletableFuture<Reply> future) {
    leaveFuture = future;
    leaveRef = connection.nextRef();
    connection.send(Frame.json(joinRef, leaveRef, life.topic(), "phx_leave", connection.mapper.createObjectNode()));
    leaveTimer = Timers.schedule(connection.config.timeout, connection.loop, () -> {
      leaveTimer = null;
      life.left(new Reply("ok", connection.payload(connection.mapper.createObjectNode(), null)));
    });
  }

  /** The leave got its reply, timed out, or the connection or channel closed first. */
  void leaveEnded(Reply reply) {
    if (leaveTimer != null) {
      leaveTimer.cancel();
      leaveTimer = null;
    }
    leaveRef = null;
    if (leaveFuture != null) {
      connection.complete(leaveFuture, reply);
      leaveFuture = null;
    }
  }

  void failBuffered(Throwable error) {
    for (OutgoingPush push : buffer) {
      push.cancelTimer();
      connection.fail(push.future, error);
    }
    buffer.clear();
  }

  private void send(OutgoingPush push, String joinRef) {
    push.ref = connection.nextRef();
    Frame frame = push.binary != null
        ? Frame.binary(joinRef, push.ref, life.topic(), push.event, push.binary)
        : Frame.json(joinRef, push.ref, life.topic(), push.event, push.json);
    try {
      if (connection.send(frame)) {
        awaiting.put(push.ref, push);
      } else {
        buffer.addFirst(push);
      }
    } catch (RuntimeException cannotEncode) {
      push.cancelTimer();
      connection.fail(push.future, cannotEncode);
    }
  }

  private void timedOut(OutgoingPush push) {
    push.timer = null;
    boolean pending = buffer.remove(push) || (push.ref != null && awaiting.remove(push.ref) != null);
    if (pending) {
      connection.fail(push.future, new PushTimeoutException("push of " + push.event + " to " + life.topic()
          + " got no reply within " + push.timeout));
    }
  }
}
