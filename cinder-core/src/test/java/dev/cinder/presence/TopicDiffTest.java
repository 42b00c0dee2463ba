package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.presence.tracker.Element;
import dev.cinder.presence.tracker.ReplicaRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicDiffTest {
  private static final ReplicaRef NODE = new ReplicaRef("n1", 1);

  private static Element meta(String key, String ref) {
    return new Element(NODE, 1, "t", key, Map.of("phx_ref", ref), null);
  }

  private static Object refs(Map<String, Map<String, Object>> presences) {
    return ClientPresence.refs(presences);
  }

  @Test
  void aLeaveOfAPendingJoinCancelsBoth() {
    TopicDiff diff = new TopicDiff();
    diff.join(meta("42", "A"));
    diff.join(meta("42", "B"));
    diff.leave(meta("42", "A"));
    assertThat(refs(diff.joins())).isEqualTo(Map.of("42", java.util.Set.of("B")));
    assertThat(diff.leaves()).isEmpty();

    diff.leave(meta("42", "B"));
    assertThat(diff.isEmpty()).isTrue();
  }

  @Test
  void aJoinOfAPendingLeaveCancelsBoth() {
    TopicDiff diff = new TopicDiff();
    diff.leave(meta("42", "A"));
    diff.join(meta("42", "A")); // a replica went down and came back within the window
    assertThat(diff.isEmpty()).isTrue();
  }

  @Test
  void anUpdateKeepsBothHalvesUnderOneKey() {
    TopicDiff diff = new TopicDiff();
    diff.leave(meta("42", "A"));
    diff.join(meta("42", "B"));
    diff.join(meta("77", "C"));
    assertThat(refs(diff.joins())).isEqualTo(Map.of("42", java.util.Set.of("B"), "77", java.util.Set.of("C")));
    assertThat(refs(diff.leaves())).isEqualTo(Map.of("42", java.util.Set.of("A")));
    assertThat(diff.joins().keySet()).as("keys in the order of their first change").containsExactly("42", "77");
  }
}
