package dev.cinder.internal.token;

/**
 * Bytes that are not a supported Erlang external term, or a Java value that has no Erlang term
 * encoding. Unchecked: callers that decode untrusted input catch it; anything else is a bug.
 */
public final class EtfException extends IllegalArgumentException {
  public EtfException(String message) {
    super(message);
  }

  public EtfException(String message, Throwable cause) {
    super(message, cause);
  }
}
