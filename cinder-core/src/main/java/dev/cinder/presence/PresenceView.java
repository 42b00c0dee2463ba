package dev.cinder.presence;

import dev.cinder.internal.presence.Change;
import dev.cinder.internal.presence.Element;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * What this node shows: the presences visible per topic, folded from the tracker's changes exactly as clients
 * fold {@code presence_diff}s, so {@link #list} answers without touching the tracker. Keys are sorted; the
 * metas of a key are in join order (an updated meta moves to the end, as it does on clients).
 *
 * <p>One writer at a time (the tracker's lock), any number of readers; a reader sees each key either before
 * or after a change, never half-way (an update never makes its key disappear).
 */
final class PresenceView {
  private final ConcurrentHashMap<String, ConcurrentSkipListMap<String, List<Map<String, Object>>>> topics =
      new ConcurrentHashMap<>();

  private final java.util.concurrent.atomic.AtomicLong metas = new java.util.concurrent.atomic.AtomicLong();

  /** The number of visible metas (tracked presences) over all topics. */
  long size() {
    return metas.get();
  }

  /** Joins first, then leaves: an update (leave + join of one key) then never empties the key in between. */
  void apply(List<Change> changes) {
    for (Change change : changes) {
      if (change.join()) {
        join(change.element());
        metas.incrementAndGet();
      }
    }
    for (Change change : changes) {
      if (!change.join()) {
        leave(change.element());
        metas.decrementAndGet();
      }
    }
  }

  private void join(Element element) {
    topics.computeIfAbsent(element.topic(), t -> new ConcurrentSkipListMap<>())
        .compute(element.key(), (key, metas) -> {
          if (metas == null) {
            return List.of(element.meta());
          }
          List<Map<String, Object>> more = new ArrayList<>(metas.size() + 1);
          more.addAll(metas);
          more.add(element.meta());
          return List.copyOf(more);
        });
  }

  private void leave(Element element) {
    ConcurrentSkipListMap<String, List<Map<String, Object>>> keys = topics.get(element.topic());
    if (keys == null) {
      return;
    }
    String ref = element.phxRef();
    keys.computeIfPresent(element.key(), (key, metas) -> {
      List<Map<String, Object>> rest = new ArrayList<>(metas.size());
      for (Map<String, Object> meta : metas) {
        if (!ref.equals(meta.get(Element.PHX_REF))) {
          rest.add(meta);
        }
      }
      return rest.isEmpty() ? null : List.copyOf(rest);
    });
    if (keys.isEmpty()) {
      topics.remove(element.topic(), keys); // safe: the only writer is us
    }
  }

  /** The visible presences of a topic as fresh mutable maps: key → {@code {"metas": [...]}}. */
  Map<String, Map<String, Object>> list(String topic) {
    Map<String, Map<String, Object>> presences = new LinkedHashMap<>();
    ConcurrentSkipListMap<String, List<Map<String, Object>>> keys = topics.get(topic);
    if (keys != null) {
      keys.forEach((key, metas) -> presences.put(key, presence(metas)));
    }
    return presences;
  }

  static Map<String, Object> presence(List<Map<String, Object>> metas) {
    Map<String, Object> presence = new LinkedHashMap<>();
    presence.put("metas", metas);
    return presence;
  }
}
