package dev.cinder.internal.serializer;

/** A client frame that does not follow the protocol. The connection that sent it is closed. */
public final class MalformedFrameException extends RuntimeException {
  public MalformedFrameException(String message) {
    super(message);
  }

  public MalformedFrameException(String message, Throwable cause) {
    super(message, cause);
  }
}
