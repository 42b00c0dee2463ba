package dev.cinder;

/** Why a channel ended. Only {@link #CRASHED} is reported to the client as {@code phx_error}. */
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
  SOCKET_CLOSED
}
