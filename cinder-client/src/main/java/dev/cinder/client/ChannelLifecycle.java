package dev.cinder.client;

import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.Listeners;
import dev.cinder.client.internal.MalformedFrameException;
import dev.cinder.client.internal.Timers;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The life of a {@link Channel}: joins and rejoins with backoff, the join_ref filter, replies, errors, closes and
 * the history position. Touched on the socket's loop only, except the volatile fields read by the channel's getters.
 */
final class ChannelLifecycle {
  private final Connection connection;
  private final Channel channel;
  private final String topic;
  private final Supplier<? extends Map<String, ?>> params;
  final Pushes pushes;
  final Map<String, Listeners<Consumer<Message>>> bindings = new ConcurrentHashMap<>();
  final Listeners<Consumer<Throwable>> errorHandlers = new Listeners<>();
  final Listeners<Runnable> closeHandlers = new Listeners<>();
  final Listeners<Consumer<Recovery>> recoveryHandlers = new Listeners<>();
  volatile ChannelState state = ChannelState.CLOSED;
  volatile boolean recover;
  volatile String position;
  volatile Recovery lastRecovery;
  private volatile String joinRef;
  private CompletableFuture<Reply> firstJoin;
  private Timers.Timer joinTimer;
  private Timers.Timer rejoinTimer;
  private int rejoinFailures;

  ChannelLifecycle(Connection connection, Channel channel, Supplier<? extends Map<String, ?>> params) {
    this.connection = connection;
    this.channel = channel;
    this.topic = channel.topic();
    this.params = params;
    this.pushes = new Pushes(connection, channel, this);
  }

  String topic() {
    return topic;
  }

  /** The first join's outcome; starts joining on the first call. */
  CompletableFuture<Reply> join() {
    if (firstJoin == null) {
      firstJoin = new CompletableFuture<>();
      rejoin();
    }
    return firstJoin;
  }

  void leave(CompletableFuture<Reply> result) {
    cancelTimers();
    String ref = joinRef;
    if (state == ChannelState.CLOSED || ref == null || !connection.isOpen()) {
      closed();
      connection.complete(result, syntheticOk());
      return;
    }
    state = ChannelState.LEAVING;
    pushes.leave(ref, result);
  }

  String joinRef() {
    return joinRef;
  }

  void socketOpened() {
    if (state == ChannelState.ERRORED || state == ChannelState.JOINING) {
      rejoinFailures = 0;
      rejoin();
    }
  }

  void socketClosed() {
    if (state == ChannelState.LEAVING) {
      left(syntheticOk());
    } else if (state == ChannelState.JOINED || state == ChannelState.JOINING) {
      errored(new ChannelErrorException("connection closed; channel " + topic + " will rejoin"), false);
    }
  }

  void received(Frame frame) {
    if (frame.joinRef() != null && !frame.joinRef().equals(joinRef)) {
      return; // a message of an earlier join of this topic
    }
    switch (frame.event()) {
      case "phx_reply":
        try {
          Reply reply = Replies.of(connection, frame);
          if (pushes.isLeave(frame.ref())) {
            left(reply);
          } else if (state == ChannelState.JOINING && frame.ref() != null && frame.ref().equals(joinRef)) {
            joinReplied(reply);
          } else {
            pushes.replied(frame.ref(), reply);
          }
        } catch (MalformedFrameException e) {
          connection.reportError(e);
        }
        return;
      case "phx_close":
        left(syntheticOk());
        return;
      case "phx_error":
        if (state != ChannelState.LEAVING && state != ChannelState.CLOSED) {
          errored(new ChannelErrorException("channel " + topic + " errored: " + payloadText(frame)), true);
        }
        return;
      default:
        if (frame.ref() != null && Positions.isPosition(frame.ref())) {
          position = frame.ref();
        }
        if ("phx_position".equals(frame.event())) {
          return;
        }
        Listeners<Consumer<Message>> handlers = bindings.get(frame.event());
        if (handlers != null) {
          Message message = new Message(topic, frame.event(), connection.payload(frame.json(), frame.binary()),
              frame.ref(), frame.joinRef());
          handlers.forEach(handler -> connection.callback(() -> handler.accept(message)));
        }
    }
  }

  /** The leave ended: its reply came, it timed out, or the channel closed. */
  void left(Reply reply) {
    closed(); // first: the channel is CLOSED by the time leave() completes
    pushes.leaveEnded(reply);
  }

  boolean isJoined() {
    return state == ChannelState.JOINED;
  }

  boolean hasJoined() {
    return firstJoin != null;
  }

  private void rejoin() {
    cancelTimers();
    if (state == ChannelState.LEAVING) {
      return;
    }
    state = ChannelState.JOINING;
    joinRef = null;
    joinTimer = Timers.schedule(connection.config.timeout, connection.loop, this::joinTimedOut);
    if (!connection.isOpen()) {
      return; // joins when the socket opens
    }
    String ref = connection.nextRef();
    joinRef = ref;
    connection.send(Frame.json(ref, ref, topic, "phx_join", joinPayload()));
  }

  private JsonNode joinPayload() {
    ObjectNode payload = connection.mapper.createObjectNode();
    try {
      Map<String, ?> values = params.get();
      if (values != null) {
        payload.setAll((ObjectNode) connection.mapper.valueToTree(values));
      }
    } catch (RuntimeException e) {
      connection.reportError(new IllegalStateException("join params of " + topic + " failed", e));
    }
    if (recover) {
      String last = position;
      if (last != null) {
        payload.put("recover", last);
      } else {
        payload.put("recover", true);
      }
    }
    return payload;
  }

  private void joinReplied(Reply reply) {
    cancelTimers();
    if (reply.isOk()) {
      state = ChannelState.JOINED;
      rejoinFailures = 0;
      Recovery recovery = Replies.recovery(reply);
      if (recovery != null) {
        lastRecovery = recovery;
        if (!recovery.recovered() && recovery.position() != null) {
          position = recovery.position();
        }
        recoveryHandlers.forEach(handler -> connection.callback(() -> handler.accept(recovery)));
      }
      pushes.flush(joinRef);
    } else {
      state = ChannelState.ERRORED;
      joinRef = null;
      scheduleRejoin();
    }
    if (!firstJoin.isDone()) {
      connection.complete(firstJoin, reply);
    }
  }

  private void joinTimedOut() {
    joinTimer = null;
    if (state != ChannelState.JOINING) {
      return;
    }
    String ref = joinRef;
    if (ref != null) {
      // the server may still join later: leave that join, as phoenix.js does
      connection.send(Frame.json(ref, connection.nextRef(), topic, "phx_leave", connection.mapper.createObjectNode()));
    }
    state = ChannelState.ERRORED;
    joinRef = null;
    if (!firstJoin.isDone()) {
      connection.fail(firstJoin, new PushTimeoutException("join of " + topic + " got no reply within "
          + connection.config.timeout));
    }
    scheduleRejoin();
  }

  private void errored(Throwable error, boolean rejoinNow) {
    cancelTimers();
    state = ChannelState.ERRORED;
    joinRef = null;
    errorHandlers.forEach(handler -> connection.callback(() -> handler.accept(error)));
    if (rejoinNow) {
      scheduleRejoin();
    }
  }

  private void scheduleRejoin() {
    if (!connection.isOpen()) {
      return; // the socket's open rejoins
    }
    rejoinFailures++;
    rejoinTimer = Timers.schedule(connection.config.rejoinBackoff.delay(rejoinFailures), connection.loop, () -> {
      rejoinTimer = null;
      if (state == ChannelState.ERRORED && connection.isOpen()) {
        rejoin();
      }
    });
  }

  private void closed() {
    cancelTimers();
    boolean wasClosed = state == ChannelState.CLOSED && joinRef == null;
    state = ChannelState.CLOSED;
    joinRef = null;
    connection.remove(channel);
    pushes.failBuffered(new IllegalStateException("channel " + topic + " closed before the push was sent"));
    if (firstJoin != null && !firstJoin.isDone()) {
      connection.fail(firstJoin, new ChannelErrorException("channel " + topic + " closed before joining"));
    }
    if (!wasClosed) {
      closeHandlers.forEach(handler -> connection.callback(handler));
    }
  }

  private void cancelTimers() {
    if (joinTimer != null) {
      joinTimer.cancel();
      joinTimer = null;
    }
    if (rejoinTimer != null) {
      rejoinTimer.cancel();
      rejoinTimer = null;
    }
  }

  private Reply syntheticOk() {
    return new Reply("ok", connection.payload(connection.mapper.createObjectNode(), null));
  }

  private static String payloadText(Frame frame) {
    return frame.isBinary() ? "<binary>" : Replies.abbreviate(frame.json().toString());
  }
}
