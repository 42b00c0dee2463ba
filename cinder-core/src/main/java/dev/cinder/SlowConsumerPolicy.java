package dev.cinder;

/** What a connection does when its client reads slower than the server writes and the outbound queue is full. */
public enum SlowConsumerPolicy {
  /**
   * Close the connection with 1013 ("try again later"); the official client reconnects and rejoins. A
   * long-poll session ends instead: the client's next poll is answered {@code {"status":410}} ("session
   * gone"), which the official client reports as a close with 3410 before it reconnects and rejoins.
   */
  CLOSE,
  /**
   * Drop the frames that do not fit and keep the connection; each drop is counted. A long-poll client's next
   * poll gets the frames that were buffered before the bound was reached.
   */
  DROP
}
