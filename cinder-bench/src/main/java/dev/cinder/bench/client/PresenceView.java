package dev.cinder.bench.client;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The presence list one client builds from {@code presence_state} and {@code presence_diff} the way phoenix.js's
 * {@code Presence} does: diffs that arrive before the state wait for it; a key is listed while it has
 * at least one meta ({@code phx_ref}).
 */
public final class PresenceView {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Set<String>> refs = new HashMap<>();
  private final List<JsonNode> pending = new ArrayList<>();
  private boolean synced;
  private int stateSize = -1;

  /** Applies a {@code presence_state} or {@code presence_diff} payload. */
  public void apply(String event, String payload) {
    apply(event, JSON.readTree(payload));
  }

  /** The same, with the payload already parsed. */
  public void apply(String event, JsonNode payload) {
    if (event.equals("presence_state")) {
      refs.clear();
      payload.properties().forEach(e -> join(e.getKey(), e.getValue()));
      stateSize = refs.size();
      synced = true;
      pending.forEach(this::diff);
      pending.clear();
    } else if (synced) {
      diff(payload);
    } else {
      pending.add(payload);
    }
  }

  private void diff(JsonNode d) {
    d.path("joins").properties().forEach(e -> join(e.getKey(), e.getValue()));
    d.path("leaves").properties().forEach(e -> {
      Set<String> metas = refs.get(e.getKey());
      if (metas != null) {
        e.getValue().path("metas").forEach(m -> metas.remove(m.path("phx_ref").asString()));
        if (metas.isEmpty()) {
          refs.remove(e.getKey());
        }
      }
    });
  }

  private void join(String key, JsonNode entry) {
    Set<String> metas = refs.computeIfAbsent(key, k -> new HashSet<>());
    entry.path("metas").forEach(m -> metas.add(m.path("phx_ref").asString()));
  }

  /** The number of keys the last presence_state listed; -1 while none arrived. */
  int stateSize() {
    return stateSize;
  }

  /** The number of keys listed; -1 while no state arrived. */
  public int size() {
    return synced ? refs.size() : -1;
  }

  /** The keys listed (each with at least one meta); empty while no state arrived. */
  public Set<String> keys() {
    return synced ? Set.copyOf(refs.keySet()) : Set.of();
  }
}
