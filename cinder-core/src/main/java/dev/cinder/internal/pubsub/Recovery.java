package dev.cinder.internal.pubsub;

import java.util.List;

/**
 * What a history could give a client that rejoined: the broadcasts after its position, in order, or why it cannot.
 *
 * @param position the topic's latest position when the history was read (null when the history could not be read)
 * @param failure why the client cannot be given what it missed, one of the constants below; null when it can
 * @param missed the broadcasts after the client's position, oldest first (empty when it missed nothing or on failure)
 */
public record Recovery(Position position, String failure, List<Dispatch> missed) {
  /** The client gave no position: a first join. */
  public static final String NO_POSITION = "no_position";
  /** The client's position is not one Cinder wrote. */
  public static final String MALFORMED_POSITION = "malformed_position";
  /** The history the position counts in was lost (a restart, a flushed store, a topic quiet for too long). */
  public static final String EPOCH_CHANGED = "epoch_changed";
  /** The position is ahead of the topic's latest: not from this history. */
  public static final String UNKNOWN_POSITION = "unknown_position";
  /** Broadcasts after the position are no longer kept. */
  public static final String TOO_OLD = "too_old";
  /** The history could not be read (its store is unreachable). */
  public static final String UNAVAILABLE = "unavailable";

  public Recovery {
    missed = List.copyOf(missed);
  }

  public static Recovery recovered(Position position, List<Dispatch> missed) {
    return new Recovery(position, null, missed);
  }

  public static Recovery failed(Position position, String failure) {
    return new Recovery(position, failure, List.of());
  }

  public boolean recovered() {
    return failure == null;
  }
}
