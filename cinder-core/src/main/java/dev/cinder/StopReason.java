package dev.cinder;

/** Why a channel ended. {@link #CRASHED} and {@link #RESYNC} are reported to the client as {@code phx_error}. */
public enum StopReason {
  /** The client sent {@code phx_leave}. */
  LEFT,
  /** The channel called {@link ChannelContext#stop()}. */
  STOPPED,
  /** A callback threw. */
  CRASHED,
  /** The same client joined the topic again; this older join ends. */
  DUPLICATE_JOIN,
  /** The socket closed, for any reason. */
  SOCKET_CLOSED,
  /**
   * The node may have missed broadcasts of the channel's topic that its client holds positions for (its connection
   * to the rest of the cluster broke): the client receives {@code phx_error}, rejoins and recovers what it missed.
   */
  RESYNC
}
