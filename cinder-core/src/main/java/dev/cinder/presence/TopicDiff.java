package dev.cinder.presence;

import dev.cinder.internal.presence.Element;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pending {@code presence_diff} of one topic: the joins and leaves not yet broadcast, merged into one diff
 * that brings every subscriber to the topic's current state, whichever state it starts from.
 *
 * <p>A subscriber may start from any point within the batch, not only from its beginning: one that joined
 * meanwhile got {@link Presence#list} in its {@code presence_state}, and that list already shows part of the
 * batch. So nothing cancels out. A client applies joins first, then leaves, matching metas by
 * {@code phx_ref}; hence per ref:
 * <ul>
 *   <li>every ref that joined within the batch is in the joins (a client that has it replaces it in place, one
 *       that does not adds it), last-joined last, as the view orders metas;</li>
 *   <li>every ref whose last change was a leave is in the leaves, so it is gone for all, including those that
 *       saw it joined; a ref that joined after its leave (a replica back up) is no longer a leave.</li>
 * </ul>
 * A join then a leave of one ref within the batch therefore costs clients a join and a leave (as two diffs
 * would), never a ghost.
 */
final class TopicDiff {
  private final Map<String, Map<String, Map<String, Object>>> joins = new LinkedHashMap<>();
  private final Map<String, Map<String, Map<String, Object>>> leaves = new LinkedHashMap<>();
  private long applied;

  /** Notes the view's change count of the topic after a change of this diff (the highest one counts). */
  void applied(long count) {
    applied = Math.max(applied, count);
  }

  /** The view's change count of the topic that includes every change of this diff. */
  long applied() {
    return applied;
  }

  void join(Element element) {
    remove(leaves, element);
    Map<String, Map<String, Object>> metas = joins.computeIfAbsent(element.key(), k -> new LinkedHashMap<>());
    metas.remove(element.phxRef()); // joined again: it moves to the end, as in the view
    metas.put(element.phxRef(), element.meta());
  }

  void leave(Element element) {
    leaves.computeIfAbsent(element.key(), k -> new LinkedHashMap<>()).put(element.phxRef(), element.meta());
  }

  private static void remove(Map<String, Map<String, Map<String, Object>>> side, Element element) {
    Map<String, Map<String, Object>> metas = side.get(element.key());
    if (metas != null && metas.remove(element.phxRef()) != null && metas.isEmpty()) {
      side.remove(element.key());
    }
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
