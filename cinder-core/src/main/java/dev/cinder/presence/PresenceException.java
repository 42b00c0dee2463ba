package dev.cinder.presence;

/** A presence operation that cannot be done: tracking a pair twice, or updating one that is not tracked. */
public final class PresenceException extends RuntimeException {
  /** Why the operation failed. */
  public enum Reason {
    /** The owner already tracks this key on this topic (Phoenix's {@code {:error, {:already_tracked, …}}}). */
    ALREADY_TRACKED,
    /** The owner does not track this key on this topic (Phoenix's {@code {:error, :nopresence}}). */
    NOT_TRACKED
  }

  private final Reason reason;

  public PresenceException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
