package dev.cinder.internal.channel;

import dev.cinder.Payload;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.ReplyMessage;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.telemetry.TracedSocket;
import java.util.Map;

/**
 * Everything the server says to one client, encoded with the client's serializer and queued on its connection:
 * replies (to joins, pushes, leaves and heartbeats, errors included), the {@code phx_close} and
 * {@code phx_error} that end a join, pushes and broadcasts. The one place that builds these messages: the
 * {@code SocketSession} and its channels only decide what to say. Thread-safe, like the connection.
 */
public final class Outbox {
  private static final Payload CHANNEL_CRASH = Payload.of(Map.of("reason", "channel_crash"));
  private static final Payload RESYNC = Payload.of(Map.of("reason", "resync"));

  private final Connection connection;
  private final Serializer serializer;
  // What the socket's channels trace with; null unless the endpoint traces. Kept here, once per socket, where every
  // channel of the socket reaches it without a field of its own.
  private final TracedSocket traced;

  public Outbox(Connection connection, Serializer serializer) {
    this(connection, serializer, null);
  }

  public Outbox(Connection connection, Serializer serializer, TracedSocket traced) {
    this.connection = connection;
    this.serializer = serializer;
    this.traced = traced;
  }

  /** What the socket's channels trace with, or null when the endpoint does not trace. */
  public TracedSocket traced() {
    return traced;
  }

  /** A {@code phx_reply} to the client message {@code ref}; {@code joinRef} names the join it answers in. */
  public void reply(String joinRef, String ref, String topic, String status, Payload response) {
    connection.send(serializer.encodeReply(new ReplyMessage(joinRef, ref, topic, status, response)));
  }

  /**
   * An event for the client of the join {@code joinRef}. Its ref is null, as nothing asked for it, or the position
   * of the broadcast that a {@code handleOut} pushes it for.
   */
  public void push(String joinRef, String ref, String topic, String event, Payload payload) {
    connection.send(serializer.encodePush(new Message(joinRef, ref, topic, event, payload)));
  }

  /** {@code phx_close}: the join {@code joinRef} ended on purpose; its ref is the join_ref. */
  public void close(String joinRef, String topic) {
    connection.send(serializer.encodePush(new Message(joinRef, joinRef, topic, "phx_close", Payload.empty())));
  }

  /** {@code phx_error}: the channel of the join {@code joinRef} crashed (the client rejoins). */
  public void crashed(String joinRef, String topic) {
    connection.send(serializer.encodePush(new Message(joinRef, joinRef, topic, "phx_error", CHANNEL_CRASH)));
  }

  /** {@code phx_error}: the join {@code joinRef} must rejoin to recover broadcasts this node may have missed. */
  public void resync(String joinRef, String topic) {
    connection.send(serializer.encodePush(new Message(joinRef, joinRef, topic, "phx_error", RESYNC)));
  }

  /** A broadcast to a topic's subscribers, encoded once per serializer and shared by all of them. */
  public void broadcast(Dispatch dispatch) {
    connection.sendShared(dispatch.frame(serializer));
  }

  /** A broadcast with its position as the ref, for a client that asked for positions; shared like the others. */
  public void positionedBroadcast(Dispatch dispatch) {
    connection.sendShared(dispatch.positionedFrame(serializer));
  }

  /** See {@link Connection#queuedBytes()}. */
  public long queuedBytes() {
    return connection.queuedBytes();
  }
}
