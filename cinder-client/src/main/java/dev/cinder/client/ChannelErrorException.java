package dev.cinder.client;

/** A channel failed: the server ended it with {@code phx_error}, or a join was refused or timed out. */
public class ChannelErrorException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * With a message.
   *
   * @param message what happened, naming the topic
   */
  public ChannelErrorException(String message) {
    super(message);
  }
}
