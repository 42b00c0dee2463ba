package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.presence.Element;
import dev.cinder.internal.presence.ReplicaRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class TopicDiffTest {
  private static final ReplicaRef NODE = new ReplicaRef("n1", 1);

  private static Element meta(String key, String ref) {
    return new Element(NODE, 1, "t", key, Map.of("phx_ref", ref), null);
  }

  private static Object refs(Map<String, Map<String, Object>> presences) {
    return ClientPresence.refs(presences);
  }

  /** Someone may have listed the join meanwhile (a joiner's presence_state): the leave must reach it. */
  @Test
  void aJoinThenALeaveOfOneRefSendsBoth() {
    TopicDiff diff = new TopicDiff();
    diff.join(meta("42", "A"));
    diff.join(meta("42", "B"));
    diff.leave(meta("42", "A"));
    assertThat(refs(diff.joins())).isEqualTo(Map.of("42", Set.of("A", "B")));
    assertThat(refs(diff.leaves())).isEqualTo(Map.of("42", Set.of("A")));
  }

  /** A replica went down and came back within the batch: whoever listed it gone must get it back. */
  @Test
  void aLeaveThenAJoinOfOneRefIsAJoinOnly() {
    TopicDiff diff = new TopicDiff();
    diff.leave(meta("42", "A"));
    diff.join(meta("42", "A"));
    assertThat(refs(diff.joins())).isEqualTo(Map.of("42", Set.of("A")));
    assertThat(diff.leaves()).isEmpty();

    diff.leave(meta("42", "A")); // and down again
    assertThat(refs(diff.leaves())).isEqualTo(Map.of("42", Set.of("A")));
  }

  /**
   * Applied the official client's way, the diff brings a client to the final state from every state it could
   * have listed within the batch.
   */
  @Test
  void fromEveryIntermediateStateTheDiffGivesTheFinalState() {
    String[][] changes = {{"join", "42", "A"}, {"join", "42", "B"}, {"leave", "42", "A"}, {"join", "77", "C"},
        {"leave", "77", "C"}, {"join", "77", "C"}, {"leave", "42", "B"}, {"join", "42", "D"}};
    List<Map<String, List<String>>> states = new ArrayList<>();
    Map<String, List<String>> state = new TreeMap<>(Map.of("77", List.of("C")));
    states.add(copy(state));
    TopicDiff diff = new TopicDiff();
    diff.leave(meta("77", "C")); // C starts visible, leaves, joins again below
    state.remove("77");
    states.add(copy(state));
    for (String[] change : changes) {
      boolean join = change[0].equals("join");
      if (join) {
        diff.join(meta(change[1], change[2]));
        state.computeIfAbsent(change[1], k -> new ArrayList<>()).add(change[2]);
      } else {
        diff.leave(meta(change[1], change[2]));
        state.get(change[1]).remove(change[2]);
        state.values().removeIf(List::isEmpty);
      }
      states.add(copy(state));
    }
    for (Map<String, List<String>> start : states) {
      assertThat(applied(start, diff)).as("from %s", start).isEqualTo(state);
    }
  }

  private static Map<String, List<String>> copy(Map<String, List<String>> state) {
    Map<String, List<String>> copy = new TreeMap<>();
    state.forEach((key, refs) -> copy.put(key, new ArrayList<>(refs)));
    return copy;
  }

  /** phoenix.js syncDiff on key → refs: joins first (replacing same refs, appended), then leaves. */
  @SuppressWarnings("unchecked")
  private static Map<String, List<String>> applied(Map<String, List<String>> start, TopicDiff diff) {
    Map<String, List<String>> state = copy(start);
    diff.joins().forEach((key, presence) -> {
      List<String> joined = ((List<Map<String, Object>>) presence.get("metas")).stream()
          .map(m -> (String) m.get("phx_ref")).toList();
      List<String> metas = new ArrayList<>(state.getOrDefault(key, List.of()));
      metas.removeAll(joined);
      metas.addAll(joined);
      state.put(key, metas);
    });
    diff.leaves().forEach((key, presence) -> {
      List<String> metas = state.get(key);
      if (metas != null) {
        ((List<Map<String, Object>>) presence.get("metas")).forEach(m -> metas.remove(m.get("phx_ref")));
        if (metas.isEmpty()) {
          state.remove(key);
        }
      }
    });
    return state;
  }

  @Test
  void anUpdateKeepsBothHalvesUnderOneKey() {
    TopicDiff diff = new TopicDiff();
    diff.leave(meta("42", "A"));
    diff.join(meta("42", "B"));
    diff.join(meta("77", "C"));
    assertThat(refs(diff.joins())).isEqualTo(Map.of("42", Set.of("B"), "77", Set.of("C")));
    assertThat(refs(diff.leaves())).isEqualTo(Map.of("42", Set.of("A")));
    assertThat(diff.joins().keySet()).as("keys in the order of their first change").containsExactly("42", "77");
  }
}
