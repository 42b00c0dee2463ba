package dev.cinder.client;

import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.Listeners;
import dev.cinder.client.internal.MalformedFrameException;
import dev.cinder.client.internal.Timers;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A channel of a topic on a {@link Socket}. It rejoins by itself after errors, timeouts and reconnects (with the
 * socket's rejoin backoff), sending its join params again; pushes made before it is joined wait, and are sent once
 * it is, or fail when their timeout passes first. Methods may be called from any thread and do not block.
 */
public final class Channel {
  private final Connection connection;
  private final String topic;
  private final Supplier<? extends Map<String, ?>> params;
  private final Pushes pushes;
  private final Map<String, Listeners<Consumer<Message>>> bindings = new ConcurrentHashMap<>();
  private final Listeners<Consumer<Throwable>> errorHandlers = new Listeners<>();
  private final Listeners<Runnable> closeHandlers = new Listeners<>();
  private final Listeners<Consumer<Recovery>> recoveryHandlers = new Listeners<>();
  private volatile ChannelState state = ChannelState.CLOSED;
  private volatile String joinRef;
  private volatile boolean recover;
  private volatile String position;
  private volatile Recovery lastRecovery;
  // the fields below are touched on the socket's loop only
  private CompletableFuture<Reply> firstJoin;
  private Timers.Timer joinTimer;
  private Timers.Timer rejoinTimer;
  private int rejoinFailures;

  Channel(Connection connection, String topic, Supplier<? extends Map<String, ?>> params) {
    this.connection = connection;
    this.topic = topic;
    this.params = params;
    this.pushes = new Pushes(connection, this);
  }

  /**
   * The topic.
   *
   * @return the topic
   */
  public String topic() {
    return topic;
  }

  /**
   * The state now.
   *
   * @return the state
   */
  public ChannelState state() {
    return state;
  }

  /**
   * Asks for history recovery: the first join sends {@code "recover": true}, every rejoin the last position seen
   * ({@code "recover": "<position>"}), so that the server replays what was missed. Call before {@link #join()}.
   *
   * @return this channel
   */
  public Channel recover() {
    recover = true;
    return this;
  }

  /**
   * Joins the topic (or waits for the connection, then joins). Further calls return the same outcome.
   *
   * @return completes with the first join's reply, {@code "ok"} or {@code "error"} (a refused join still
   *     rejoins with backoff, as phoenix.js does); exceptionally with {@link PushTimeoutException} when the first
   *     join got no reply in time (rejoins go on)
   */
  public CompletableFuture<Reply> join() {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    connection.loop.execute(() -> {
      if (firstJoin == null) {
        firstJoin = new CompletableFuture<>();
        rejoin();
      }
      firstJoin.whenComplete((reply, error) -> {
        if (error != null) {
          result.completeExceptionally(error);
        } else {
          result.complete(reply);
        }
      });
    });
    return result;
  }

  /**
   * Pushes an event with the socket's timeout.
   *
   * @param event the event
   * @param payload a Map, record, bean or {@link JsonNode} (sent as JSON), or {@code byte[]}/{@link ByteBuffer}
   *     (sent as a binary frame, protocol V2 only)
   * @return completes with the reply; exceptionally with {@link PushTimeoutException} on timeout, or
   *     {@link IllegalArgumentException}/{@link IllegalStateException} when the push cannot be sent
   */
  public CompletableFuture<Reply> push(String event, Object payload) {
    return push(event, payload, connection.config.timeout);
  }

  /**
   * Pushes an event.
   *
   * @param event the event
   * @param payload as for {@link #push(String, Object)}
   * @param timeout how long to wait for the reply, counted from now (also while the push waits for the join)
   * @return as for {@link #push(String, Object)}
   */
  public CompletableFuture<Reply> push(String event, Object payload, Duration timeout) {
    return pushes.push(Objects.requireNonNull(event, "event"), payload, Objects.requireNonNull(timeout, "timeout"));
  }

  /**
   * Leaves the topic; the channel is then closed for good.
   *
   * @return completes with the leave reply, or a synthetic {@code "ok"} when not connected or on timeout
   */
  public CompletableFuture<Reply> leave() {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    connection.loop.execute(() -> {
      cancelTimers();
      String ref = joinRef;
      if (state == ChannelState.CLOSED || ref == null || !connection.isOpen()) {
        closed();
        connection.complete(result, syntheticOk());
        return;
      }
      state = ChannelState.LEAVING;
      pushes.leave(ref, result);
    });
    return result;
  }

  /**
   * Handles pushes and broadcasts of an event (recovered ones included).
   *
   * @param event the event
   * @param handler the handler, run on the callback executor
   * @return removes the handler
   */
  public Subscription on(String event, Consumer<Message> handler) {
    return bindings.computeIfAbsent(event, e -> new Listeners<>()).add(handler)::run;
  }

  /**
   * Called when the channel fails: the server ended it ({@code phx_error}) or the connection dropped.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onError(Consumer<Throwable> handler) {
    return errorHandlers.add(handler)::run;
  }

  /**
   * Called when the channel closes for good: the server closed it ({@code phx_close}) or it was left.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onClose(Runnable handler) {
    return closeHandlers.add(handler)::run;
  }

  /**
   * The last history position seen (of a {@link #recover()} channel).
   *
   * @return the position, empty before the first
   */
  public Optional<String> position() {
    return Optional.ofNullable(position);
  }

  /**
   * The recovery block of the last join reply.
   *
   * @return the recovery, empty when none came (not asked, or a topic without history)
   */
  public Optional<Recovery> lastRecovery() {
    return Optional.ofNullable(lastRecovery);
  }

  /**
   * Called on every join reply that carries a recovery block. {@code recovered() == false} means broadcasts
   * were missed that cannot be replayed: reload the state.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onRecovery(Consumer<Recovery> handler) {
    return recoveryHandlers.add(handler)::run;
  }

  @Override
  public String toString() {
    return "Channel[" + topic + ", " + state + "]";
  }

  // ---- on the socket's loop ----

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
    pushes.leaveEnded(reply);
    closed();
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
    connection.remove(this);
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
