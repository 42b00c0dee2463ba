package dev.cinder.client;

/** The state of a {@link Channel}, as in phoenix.js. */
public enum ChannelState {
  /** Not joined: never joined, left, or closed by the server. */
  CLOSED,
  /** A join was sent (or waits for the connection) and has no reply yet. */
  JOINING,
  /** Joined. */
  JOINED,
  /** The join failed, timed out, the server ended the channel or the connection dropped: a rejoin will follow. */
  ERRORED,
  /** A leave was sent and has no reply yet. */
  LEAVING
}
