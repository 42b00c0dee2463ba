package dev.cinder.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.presence.TrackerState.LocalKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackerStateTest {
  private final ReplicaRef refA = new ReplicaRef("a", 1);
  private final ReplicaRef refB = new ReplicaRef("b", 1);
  private final ReplicaRef refC = new ReplicaRef("c", 1);
  private TrackerState a;
  private TrackerState b;
  private TrackerState c;
  private final List<Change> out = new ArrayList<>();

  @BeforeEach
  void replicas() {
    a = new TrackerState(refA);
    b = new TrackerState(refB);
    c = new TrackerState(refC);
    for (TrackerState s : List.of(a, b, c)) {
      for (ReplicaRef r : List.of(refA, refB, refC)) {
        if (!r.equals(s.self())) {
          s.replicaUp(r, new ArrayList<>());
        }
      }
    }
  }

  private static Element add(TrackerState s, String owner, String key) {
    return s.add(new LocalKey("t", owner, key), Map.of("phx_ref", owner + key + s.self().name()), new ArrayList<>());
  }

  private static List<String> joins(List<Change> changes) {
    return changes.stream().filter(Change::join).map(c -> c.element().key()).toList();
  }

  private static List<String> leaves(List<Change> changes) {
    return changes.stream().filter(c -> !c.join()).map(c -> c.element().key()).toList();
  }

  @Test
  void localAddAndRemoveReportChangesAndFillTheDelta() {
    a.add(new LocalKey("t", "p1", "u1"), Map.of("phx_ref", "r1"), out);
    assertThat(joins(out)).containsExactly("u1");
    Delta delta = a.takeDelta();
    assertThat(delta.fromClock()).isZero();
    assertThat(delta.toClock()).isEqualTo(1);
    assertThat(delta.adds()).extracting(Element::key).containsExactly("u1");

    out.clear();
    a.remove(new LocalKey("t", "p1", "u1"), out);
    assertThat(leaves(out)).containsExactly("u1");
    Delta removal = a.takeDelta();
    assertThat(removal.isEmpty()).as("a removal bumps the clock").isFalse();
    assertThat(removal.removes()).containsExactly(1L);
    assertThat(a.takeDelta().isEmpty()).isTrue();
  }

  @Test
  void anAddRemovedWithinOneDeltaIsStillReportedRemoved() {
    add(a, "p1", "u1");
    b.mergeState(a.snapshotFor(refB, b.context().keySet()), out); // b sees the add through a transfer
    a.remove(new LocalKey("t", "p1", "u1"), new ArrayList<>());
    Delta delta = a.takeDelta();
    assertThat(delta.adds()).isEmpty();
    assertThat(delta.removes()).containsExactly(1L);

    out.clear();
    b.mergeDelta(delta, out);
    assertThat(leaves(out)).containsExactly("u1");
    assertThat(b.size()).isZero();
  }

  @Test
  void deltasMergeInOrderAndAGapIsRefused() {
    add(a, "p1", "u1");
    Delta first = a.takeDelta();
    add(a, "p2", "u2");
    Delta second = a.takeDelta();

    assertThat(b.mergeDelta(second, out)).as("gap: the first delta was missed").isFalse();
    assertThat(out).isEmpty();
    assertThat(b.mergeDelta(first, out)).isTrue();
    assertThat(b.mergeDelta(second, out)).isTrue();
    assertThat(joins(out)).containsExactly("u1", "u2");

    out.clear();
    assertThat(b.mergeDelta(second, out)).as("a repeated delta changes nothing").isTrue();
    assertThat(out).isEmpty();
  }

  @Test
  void aTransferFillsAGapWithJoinsAndLeaves() {
    add(a, "p1", "u1");
    b.mergeDelta(a.takeDelta(), out);
    a.remove(new LocalKey("t", "p1", "u1"), new ArrayList<>());
    add(a, "p2", "u2");
    a.takeDelta(); // lost on the way to b
    out.clear();

    b.mergeState(a.snapshotFor(refB, b.context().keySet()), out);
    assertThat(joins(out)).containsExactly("u2");
    assertThat(leaves(out)).containsExactly("u1");
    assertThat(b.elements()).extracting(Element::key).containsExactly("u2");
  }

  @Test
  void aTransferCarriesThirdReplicasButNeverTheRequestersOwn() {
    add(c, "p1", "uc");
    b.mergeDelta(c.takeDelta(), new ArrayList<>());
    add(a, "p2", "ua");
    b.mergeDelta(a.takeDelta(), new ArrayList<>());

    a.mergeState(b.snapshotFor(refA, a.context().keySet()), out);
    assertThat(joins(out)).containsExactly("uc");
    assertThat(a.snapshotFor(refB, b.context().keySet()).elements()).extracting(Element::key)
        .containsExactlyInAnyOrder("ua", "uc");
    assertThat(b.snapshotFor(refA, a.context().keySet()).elements()).extracting(Element::key)
        .doesNotContain("ua");
  }

  @Test
  void remoteStateNeverRemovesOrAddsOurOwnElements() {
    add(a, "p1", "u1");
    b.mergeDelta(a.takeDelta(), new ArrayList<>());
    StateSnapshot stale = b.snapshotFor(refC, a.context().keySet()); // contains a's element
    a.remove(new LocalKey("t", "p1", "u1"), new ArrayList<>());
    add(a, "p2", "u2");

    a.mergeState(stale, out);
    assertThat(out).isEmpty();
    assertThat(a.elements()).extracting(Element::key).containsExactly("u2");
  }

  @Test
  void aDownReplicaIsHiddenThenShownAgainThenPurged() {
    add(a, "p1", "u1");
    b.mergeDelta(a.takeDelta(), new ArrayList<>());

    b.replicaDown(refA, out);
    assertThat(leaves(out)).containsExactly("u1");
    assertThat(b.clocks()).doesNotContainKey(refA);
    assertThat(b.size()).as("kept while down").isEqualTo(1);

    out.clear();
    b.replicaUp(refA, out);
    assertThat(joins(out)).containsExactly("u1");

    out.clear();
    b.replicaDown(refA, out);
    out.clear();
    b.purge(refA, out);
    assertThat(out).as("already reported as leaves").isEmpty();
    assertThat(b.size()).isZero();
    assertThat(b.knows(refA)).isFalse();
  }

  @Test
  void deltasOfUnknownReplicasAreIgnored() {
    TrackerState d = new TrackerState(new ReplicaRef("d", 1));
    add(d, "p1", "u1");
    assertThat(a.mergeDelta(d.takeDelta(), out)).isFalse();
    assertThat(a.size()).isZero();
  }
}
