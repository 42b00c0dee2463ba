package dev.cinder.presence;

import dev.cinder.internal.Json;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The official client's {@code Presence.syncState} / {@code syncDiff} in Java, to check that the
 * diffs a node sends rebuild exactly what it lists. Metas are matched by {@code phx_ref} only.
 */
final class ClientPresence {
  private final Map<String, List<JsonNode>> state = new LinkedHashMap<>();

  synchronized void syncState(JsonNode newState) {
    ObjectNode joins = Json.MAPPER.createObjectNode();
    ObjectNode leaves = Json.MAPPER.createObjectNode();
    state.forEach((key, metas) -> {
      if (!newState.has(key)) {
        leaves.set(key, presence(metas));
      }
    });
    for (Map.Entry<String, JsonNode> entry : newState.properties()) {
      String key = entry.getKey();
      List<JsonNode> newMetas = list(entry.getValue().get("metas"));
      List<JsonNode> current = state.get(key);
      if (current == null) {
        joins.set(key, entry.getValue());
        continue;
      }
      Set<String> currentRefs = refs(current);
      Set<String> newRefs = refs(newMetas);
      List<JsonNode> joined = newMetas.stream().filter(m -> !currentRefs.contains(ref(m))).toList();
      List<JsonNode> left = current.stream().filter(m -> !newRefs.contains(ref(m))).toList();
      if (!joined.isEmpty()) {
        joins.set(key, presence(joined));
      }
      if (!left.isEmpty()) {
        leaves.set(key, presence(left));
      }
    }
    syncDiff(joins, leaves);
  }

  synchronized void syncDiff(JsonNode joins, JsonNode leaves) {
    for (Map.Entry<String, JsonNode> entry : joins.properties()) {
      List<JsonNode> joined = list(entry.getValue().get("metas"));
      List<JsonNode> current = state.get(entry.getKey());
      List<JsonNode> metas = new ArrayList<>();
      if (current != null) {
        Set<String> joinedRefs = refs(joined);
        current.stream().filter(m -> !joinedRefs.contains(ref(m))).forEach(metas::add);
      }
      metas.addAll(joined);
      state.put(entry.getKey(), metas);
    }
    for (Map.Entry<String, JsonNode> entry : leaves.properties()) {
      List<JsonNode> current = state.get(entry.getKey());
      if (current == null) {
        continue;
      }
      Set<String> left = refs(list(entry.getValue().get("metas")));
      current.removeIf(m -> left.contains(ref(m)));
      if (current.isEmpty()) {
        state.remove(entry.getKey());
      }
    }
  }

  /** Key → the set of metas (order-free), comparable with {@link #normalize}. */
  synchronized Map<String, Set<JsonNode>> metas() {
    Map<String, Set<JsonNode>> metas = new LinkedHashMap<>();
    state.forEach((key, list) -> metas.put(key, new HashSet<>(list)));
    return metas;
  }

  /** Key → its metas in the client's order. */
  synchronized Map<String, List<JsonNode>> ordered() {
    Map<String, List<JsonNode>> metas = new java.util.TreeMap<>();
    state.forEach((key, list) -> metas.put(key, List.copyOf(list)));
    return metas;
  }

  /** A server list as key → its metas in order, comparable with {@link #ordered()}. */
  static Map<String, List<JsonNode>> ordered(Map<String, Map<String, Object>> list) {
    Map<String, List<JsonNode>> metas = new java.util.TreeMap<>();
    JsonNode json = Json.MAPPER.valueToTree(list);
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      metas.put(entry.getKey(), list(entry.getValue().get("metas")));
    }
    return metas;
  }

  /** A server list as key → set of metas. */
  static Map<String, Set<JsonNode>> normalize(Map<String, Map<String, Object>> list) {
    Map<String, Set<JsonNode>> metas = new LinkedHashMap<>();
    JsonNode json = Json.MAPPER.valueToTree(list);
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      metas.put(entry.getKey(), new HashSet<>(list(entry.getValue().get("metas"))));
    }
    return metas;
  }

  /** A server list as key → set of phx_refs. */
  static Map<String, Set<String>> refs(Map<String, Map<String, Object>> list) {
    Map<String, Set<String>> refs = new LinkedHashMap<>();
    normalize(list).forEach((key, metas) -> refs.put(key, refs(List.copyOf(metas))));
    return refs;
  }

  private static List<JsonNode> list(JsonNode array) {
    List<JsonNode> list = new ArrayList<>();
    array.forEach(list::add);
    return list;
  }

  private static Set<String> refs(List<JsonNode> metas) {
    Set<String> refs = new HashSet<>();
    metas.forEach(m -> refs.add(ref(m)));
    return refs;
  }

  private static String ref(JsonNode meta) {
    return meta.get("phx_ref").stringValue();
  }

  private static ObjectNode presence(List<JsonNode> metas) {
    ObjectNode presence = Json.MAPPER.createObjectNode();
    presence.putArray("metas").addAll(metas);
    return presence;
  }
}
