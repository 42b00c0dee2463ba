package dev.cinder.testkit;

/** A driver command failed (the JS client threw, or rejected it), or the driver itself is gone. */
public final class PhoenixJsException extends RuntimeException {
  public PhoenixJsException(String message) {
    super(message);
  }

  public PhoenixJsException(String message, Throwable cause) {
    super(message, cause);
  }
}
