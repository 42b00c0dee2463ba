package dev.cinder;

import java.util.Set;

/**
 * A channel: the server side of one client's join of one topic, Phoenix's channel process in Java.
 *
 * <p>Cinder calls these callbacks one at a time, in arrival order, never concurrently, each on a virtual
 * thread: they may block (database calls are normal). The exception is {@link #handleIn} of an event that has
 * shown itself fast: it runs inline on the connection's event loop ({@link SocketOptions#inlinePushLimit()}). An exception thrown from any callback ends this channel
 * alone: its client receives {@code phx_error} and rejoins; the socket and its other channels go on.
 *
 * <p>A new instance is made for every join, so fields hold per-join state without synchronisation.
 */
public interface Channel {
  /**
   * The broadcast events this channel wants to see one by one in {@link #handleOut} (for per-recipient
   * changes or filtering). All other broadcasts go straight to the client, encoded once for all recipients.
   */
  default Set<String> intercepts() {
    return Set.of();
  }

  /**
   * Authorises the join. Return {@link Join#ok()}, {@link Join#ok(Object)} or {@link Join#error(Object)}.
   * Pushing is not allowed here: the join reply must reach the client first. To push right after the join,
   * {@link ChannelContext#send send} yourself a message and push from {@link #handleInfo}.
   */
  Join join(String topic, Payload params, ChannelContext ctx);

  /**
   * An event from the client. Return {@link Reply#none()}, a reply, or call {@link ChannelContext#stop()}.
   * The default answers {@code {"reason":"unknown_event"}} with status error.
   */
  default Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return Reply.error(java.util.Map.of("reason", "unknown_event"));
  }

  /** A message this channel sent itself with {@link ChannelContext#send} or {@link ChannelContext#sendAfter}. */
  default void handleInfo(Object message, ChannelContext ctx) {}

  /** An intercepted broadcast (see {@link #intercepts()}). The default pushes it unchanged. */
  default void handleOut(String event, Payload payload, ChannelContext ctx) {
    ctx.push(event, payload);
  }

  /** The channel ends: after a leave, a stop, a crash, a duplicate join, or because its socket closed. */
  default void terminate(StopReason reason, ChannelContext ctx) {}
}
