package dev.cinder.client;

import dev.cinder.client.internal.Listeners;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * A channel of a topic on a {@link Socket}. It rejoins by itself after errors, timeouts and reconnects (with the
 * socket's rejoin backoff), sending its join params again; pushes made before it is joined wait, and are sent once
 * it is, or fail when their timeout passes first. Methods may be called from any thread and do not block.
 */
public final class Channel {
  private final Connection connection;
  private final String topic;
  private final ChannelLifecycle life;

  Channel(Connection connection, String topic, Supplier<? extends Map<String, ?>> params) {
    this.connection = connection;
    this.topic = topic;
    this.life = new ChannelLifecycle(connection, this, params);
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
    return life.state;
  }

  /**
   * Asks for history recovery: the first join sends {@code "recover": true}, every rejoin the last position seen
   * ({@code "recover": "<position>"}), so that the server replays what was missed. Call before {@link #join()}.
   *
   * @return this channel
   */
  public Channel recover() {
    life.recover = true;
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
      life.join().whenComplete((reply, error) -> {
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
    Objects.requireNonNull(event, "event");
    Objects.requireNonNull(timeout, "timeout");
    return life.pushes.push(event, payload, timeout);
  }

  /**
   * Leaves the topic; the channel is then closed for good.
   *
   * @return completes with the leave reply, or a synthetic {@code "ok"} when not connected or on timeout
   */
  public CompletableFuture<Reply> leave() {
    CompletableFuture<Reply> result = new CompletableFuture<>();
    connection.loop.execute(() -> life.leave(result));
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
    return life.bindings.computeIfAbsent(event, e -> new Listeners<>()).add(handler)::run;
  }

  /**
   * Called when the channel fails: the server ended it ({@code phx_error}) or the connection dropped.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onError(Consumer<Throwable> handler) {
    return life.errorHandlers.add(handler)::run;
  }

  /**
   * Called when the channel closes for good: the server closed it ({@code phx_close}) or it was left.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onClose(Runnable handler) {
    return life.closeHandlers.add(handler)::run;
  }

  /**
   * The last history position seen (of a {@link #recover()} channel).
   *
   * @return the position, empty before the first
   */
  public Optional<String> position() {
    return Optional.ofNullable(life.position);
  }

  /**
   * The recovery block of the last join reply.
   *
   * @return the recovery, empty when none came (not asked, or a topic without history)
   */
  public Optional<Recovery> lastRecovery() {
    return Optional.ofNullable(life.lastRecovery);
  }

  /**
   * Called on every join reply that carries a recovery block. {@code recovered() == false} means broadcasts
   * were missed that cannot be replayed: reload the state.
   *
   * @param handler the handler
   * @return removes the handler
   */
  public Subscription onRecovery(Consumer<Recovery> handler) {
    return life.recoveryHandlers.add(handler)::run;
  }

  @Override
  public String toString() {
    return "Channel[" + topic + ", " + life.state + "]";
  }

  /** For the socket and Presence: the lifecycle, driven on the socket's loop. */
  ChannelLifecycle lifecycle() {
    return life;
  }
}
