package dev.cinder;

/** What a connection does when its client reads slower than the server writes and the outbound queue is full. */
public enum SlowConsumerPolicy {
  /** Close the connection with 1013 ("try again later"); the official client reconnects and rejoins. */
  CLOSE,
  /** Drop the frames that do not fit and keep the connection; each drop is counted. */
  DROP
}
