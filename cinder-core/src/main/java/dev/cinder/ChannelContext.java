package dev.cinder;

import java.time.Duration;

/**
 * What a channel can do: push to its client, broadcast to its topic, message itself, reply later, stop, and
 * see how much is still waiting for its client. What libraries built on channels need (a hook when the channel
 * ends, telemetry, PubSub) is apart, behind {@link #hooks()}. All methods are thread-safe, so offloaded work may
 * call them too.
 */
public interface ChannelContext {
  String topic();

  /** This channel's assigns: a copy of the socket's assigns taken at join, free to change. */
  Assigns assigns();

  /** The socket id ({@link SocketHandler#id}), or null when the socket has none. */
  String socketId();

  /**
   * Whether this join recovered every broadcast its client missed (the route keeps a {@link History}, the client
   * rejoined with its last position, and all after it was still kept): then the client already has them, and a
   * channel that pushes its state after a join can skip it. False for a first join, a failed recovery, a client
   * that did not ask, and inside {@link Channel#join} (the history is read after it); from {@link
   * Channel#handleInfo} on, it is settled.
   */
  boolean recovered();

  /** Sends an event to this channel's client only. */
  void push(String event, Object payload);

  /** Broadcasts an event to every subscriber of this channel's topic, on every node, this client included. */
  void broadcast(String event, Object payload);

  /** Like {@link #broadcast} but skips this channel (other sockets of the same user still receive it). */
  void broadcastFrom(String event, Object payload);

  /** Queues a message for {@link Channel#handleInfo}. */
  void send(Object message);

  /** Queues a message for {@link Channel#handleInfo} after a delay; dropped if the channel ended meanwhile. */
  void sendAfter(Object message, Duration delay);

  /**
   * The ref of the client message being handled, to answer it later with {@link #reply}. Only valid inside
   * {@link Channel#handleIn}.
   */
  ReplyRef replyRef();

  /** Answers a message captured with {@link #replyRef()}. */
  void reply(ReplyRef ref, Reply reply);

  /**
   * Ends this channel gracefully; the client receives {@code phx_close}. Called in a callback, the channel
   * ends when the callback returns (after its reply); called from another thread, it ends in turn with the
   * channel's queued messages.
   */
  void stop();

  /**
   * Bytes waiting to reach this channel's client: queued by the server for its connection (by every channel
   * of that connection) and not yet written to its socket; 0 when the transport cannot tell. It grows while
   * the client reads more slowly than the server sends, so a channel can skip pushes it can afford to lose
   * (typing indicators, cursor positions) while it is above a bound of its choosing, for example:
   *
   * <pre>{@code
   * if (ctx.queuedBytes() < 64 * 1024) {
   *   ctx.push("cursor", position);
   * }
   * }</pre>
   *
   * <p>A number to look at first rather than a {@code boolean} from {@link #push}: by the time a push could
   * report that its frame did not fit, the payload is built and the slow-consumer policy
   * ({@link SocketOptions#maxQueuedBytes}, {@link SlowConsumerPolicy}) has already dropped it or closed the
   * connection. Looking first lets the channel decide earlier, with a margin of its own.
   */
  long queuedBytes();

  /**
   * What libraries built on channels need beyond the channel's own actions: a hook when it ends, the
   * endpoint's telemetry and PubSub (see {@link ChannelHooks}). A channel's own code rarely needs it.
   */
  ChannelHooks hooks();
}
