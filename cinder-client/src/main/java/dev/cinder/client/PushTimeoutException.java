package dev.cinder.client;

import java.util.concurrent.TimeoutException;

/** A push or a join got no reply within its timeout. */
public class PushTimeoutException extends TimeoutException {
  private static final long serialVersionUID = 1L;

  /** Without a message. */
  public PushTimeoutException() {
    super();
  }

  /**
   * With a message.
   *
   * @param message what timed out
   */
  public PushTimeoutException(String message) {
    super(message);
  }
}
