package dev.cinder.internal.presence;

import java.util.List;

/**
 * The local operations of one replica between two heartbeats: its clock went from {@code fromClock} to
 * {@code toClock}; {@code adds} are the elements added in that range and still present, {@code removes} the
 * clocks of elements removed within it (added in the range or before). A receiver can merge it only if it has
 * already seen every clock up to {@code fromClock} (otherwise there is a gap, and it asks for a transfer).
 */
public record Delta(ReplicaRef replica, long fromClock, long toClock, List<Element> adds, List<Long> removes) {
  public boolean isEmpty() {
    return fromClock == toClock;
  }
}
