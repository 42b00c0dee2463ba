package dev.cinder.client;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The pure presence algorithms, with phoenix.js's semantics: a state replaces the list (reported as a diff of
 * what joined and left), a diff applies its joins first and then its leaves. Keys are ordered as a JavaScript
 * object orders its properties, so that lists come out in the same order as phoenix.js's: integer-like keys
 * ascending, then the others in insertion order.
 */
final class PresenceSync {
  private PresenceSync() {}

  static Map<String, PresenceEntry> syncState(Map<String, PresenceEntry> current,
      Map<String, PresenceEntry> incoming, Presence.JoinCallback onJoin, Presence.LeaveCallback onLeave) {
    Map<String, PresenceEntry> state = jsOrdered(current);
    Map<String, PresenceEntry> joins = new LinkedHashMap<>();
    Map<String, PresenceEntry> leaves = new LinkedHashMap<>();
    for (Map.Entry<String, PresenceEntry> entry : state.entrySet()) {
      if (!incoming.containsKey(entry.getKey())) {
        leaves.put(entry.getKey(), entry.getValue());
      }
    }
    for (Map.Entry<String, PresenceEntry> entry : jsOrdered(incoming).entrySet()) {
      String key = entry.getKey();
      PresenceEntry incomingEntry = entry.getValue();
      PresenceEntry currentEntry = state.get(key);
      if (currentEntry == null) {
        joins.put(key, incomingEntry);
        continue;
      }
      Set<String> incomingRefs = refs(incomingEntry.metas());
      Set<String> currentRefs = refs(currentEntry.metas());
      List<JsonNode> joined = without(incomingEntry.metas(), currentRefs);
      List<JsonNode> left = without(currentEntry.metas(), incomingRefs);
      if (!joined.isEmpty()) {
        joins.put(key, withMetas(incomingEntry, joined));
      }
      if (!left.isEmpty()) {
        leaves.put(key, withMetas(currentEntry, left));
      }
    }
    return syncDiff(state, new PresenceDiff(joins, leaves), onJoin, onLeave);
  }

  static Map<String, PresenceEntry> syncDiff(Map<String, PresenceEntry> current, PresenceDiff diff,
      Presence.JoinCallback onJoin, Presence.LeaveCallback onLeave) {
    Map<String, PresenceEntry> state = jsOrdered(current);
    for (Map.Entry<String, PresenceEntry> entry : jsOrdered(diff.joins()).entrySet()) {
      String key = entry.getKey();
      PresenceEntry joined = entry.getValue();
      PresenceEntry currentEntry = state.get(key);
      PresenceEntry next = joined;
      if (currentEntry != null) {
        List<JsonNode> metas = new ArrayList<>(without(currentEntry.metas(), refs(joined.metas())));
        metas.addAll(joined.metas());
        next = withMetas(joined, metas);
      }
      state.put(key, next);
      if (onJoin != null) {
        onJoin.onJoin(key, currentEntry, joined);
      }
    }
    for (Map.Entry<String, PresenceEntry> entry : jsOrdered(diff.leaves()).entrySet()) {
      String key = entry.getKey();
      PresenceEntry left = entry.getValue();
      PresenceEntry currentEntry = state.get(key);
      if (currentEntry == null) {
        continue;
      }
      PresenceEntry remaining = withMetas(currentEntry, without(currentEntry.metas(), refs(left.metas())));
      state.put(key, remaining);
      if (onLeave != null) {
        onLeave.onLeave(key, remaining, left);
      }
      if (remaining.metas().isEmpty()) {
        state.remove(key);
      }
    }
    return jsOrdered(state);
  }

  /** Entries from a {@code {"key": {"metas": [...]}, ...}} object; entries without a metas array have none. */
  static Map<String, PresenceEntry> entries(JsonNode object) {
    Map<String, PresenceEntry> entries = new LinkedHashMap<>();
    if (object == null || !object.isObject()) {
      return entries;
    }
    for (Map.Entry<String, JsonNode> property : object.properties()) {
      JsonNode value = property.getValue();
      List<JsonNode> metas = new ArrayList<>();
      JsonNode metasNode = value.get("metas");
      if (metasNode != null && metasNode.isArray()) {
        metasNode.forEach(metas::add);
      }
      entries.put(property.getKey(), new PresenceEntry(property.getKey(), metas, value));
    }
    return jsOrdered(entries);
  }

  static PresenceEntry withMetas(PresenceEntry entry, List<JsonNode> metas) {
    ObjectNode value = entry.value() != null && entry.value().isObject() ? ((ObjectNode) entry.value()).deepCopy()
        : JsonNodeFactory.instance.objectNode();
    ArrayNode array = value.putArray("metas");
    metas.forEach(array::add);
    return new PresenceEntry(entry.key(), metas, value);
  }

  private static Set<String> refs(List<JsonNode> metas) {
    Set<String> refs = new HashSet<>();
    for (JsonNode meta : metas) {
      refs.add(ref(meta));
    }
    return refs;
  }

  private static List<JsonNode> without(List<JsonNode> metas, Set<String> refs) {
    List<JsonNode> kept = new ArrayList<>();
    for (JsonNode meta : metas) {
      if (!refs.contains(ref(meta))) {
        kept.add(meta);
      }
    }
    return kept;
  }

  private static String ref(JsonNode meta) {
    JsonNode ref = meta == null ? null : meta.get("phx_ref");
    return ref == null ? null : ref.toString();
  }

  /** A copy ordered as JavaScript orders an object's keys: array indexes ascending, then the rest as inserted. */
  static <V> Map<String, V> jsOrdered(Map<String, V> map) {
    List<String> indexes = new ArrayList<>();
    List<String> others = new ArrayList<>();
    for (String key : map.keySet()) {
      (isArrayIndex(key) ? indexes : others).add(key);
    }
    indexes.sort((a, b) -> Long.compare(Long.parseLong(a), Long.parseLong(b)));
    Map<String, V> ordered = new LinkedHashMap<>();
    indexes.forEach(key -> ordered.put(key, map.get(key)));
    others.forEach(key -> ordered.put(key, map.get(key)));
    return ordered;
  }

  private static boolean isArrayIndex(String key) {
    if (key.isEmpty() || key.length() > 10 || (key.length() > 1 && key.charAt(0) == '0')) {
      return false;
    }
    for (int i = 0; i < key.length(); i++) {
      if (key.charAt(i) < '0' || key.charAt(i) > '9') {
        return false;
      }
    }
    return Long.parseLong(key) < 4294967295L;
  }
}
