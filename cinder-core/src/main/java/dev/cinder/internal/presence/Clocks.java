package dev.cinder.internal.presence;

import java.util.Map;
import java.util.Set;

/** Comparisons of contexts (replica → highest clock seen) for clock sampling. */
final class Clocks {
  private Clocks() {}

  /** Whether {@code theirs} has seen more of some replica that {@code mine} knows. */
  static boolean ahead(Map<ReplicaRef, Long> theirs, Map<ReplicaRef, Long> mine) {
    for (Map.Entry<ReplicaRef, Long> entry : theirs.entrySet()) {
      Long seen = mine.get(entry.getKey());
      if (seen != null && entry.getValue() > seen) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code a} has seen at least as much as {@code b} of every replica in {@code over}. */
  static boolean dominates(Map<ReplicaRef, Long> a, Map<ReplicaRef, Long> b, Set<ReplicaRef> over) {
    for (ReplicaRef replica : over) {
      if (a.getOrDefault(replica, 0L) < b.getOrDefault(replica, 0L)) {
        return false;
      }
    }
    return true;
  }
}
