package dev.cinder.presence;

import dev.cinder.presence.tracker.Element;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending {@code presence_diff} of one topic: the joins and leaves not yet broadcast, merged so that the
 * result, applied by a client (joins first, then leaves, metas matched by {@code phx_ref}), gives the same
 * state as applying each change in turn. A leave of a ref whose join is still pending cancels both (no client
 * saw it); a join of a ref whose leave is still pending cancels both (clients still have it: a replica that
 * went down and came back within the window).
 */
final class TopicDiff {
  private final Map<String, Map<String, Map<String, Object>>> joins = new LinkedHashMap<>();
  private final Map<String, Map<String, Map<String, Object>>> leaves = new LinkedHashMap<>();

  void join(Element element) {
    if (!cancel(leaves, element)) {
      joins.computeIfAbsent(element.key(), k -> new LinkedHashMap<>()).put(element.phxRef(), element.meta());
    }
  }

  void leave(Element element) {
    if (!cancel(joins, element)) {
      leaves.computeIfAbsent(element.key(), k -> new LinkedHashMap<>()).put(element.phxRef(), element.meta());
    }
  }

  private static boolean cancel(Map<String, Map<String, Map<String, Object>>> side, Element element) {
    Map<String, Map<String, Object>> metas = side.get(element.key());
    if (metas == null || metas.remove(element.phxRef()) == null) {
      return false;
    }
    if (metas.isEmpty()) {
      side.remove(element.key());
    }
    return true;
  }

  boolean isEmpty() {
    return joins.isEmpty() && leaves.isEmpty();
  }

  /** The joins as presences: key → {@code {"metas": [...]}}. */
  Map<String, Map<String, Object>> joins() {
    return presences(joins);
  }

  /** The leaves as presences: key → {@code {"metas": [...]}}. */
  Map<String, Map<String, Object>> leaves() {
    return presences(leaves);
  }

  private static Map<String, Map<String, Object>> presences(Map<String, Map<String, Map<String, Object>>> side) {
    Map<String, Map<String, Object>> presences = new LinkedHashMap<>();
    side.forEach((key, metas) -> presences.put(key, PresenceView.presence(List.copyOf(metas.values()))));
    return presences;
  }
}
