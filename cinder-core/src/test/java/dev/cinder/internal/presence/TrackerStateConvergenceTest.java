package dev.cinder.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.presence.TrackerState.LocalKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A property test of the replicated set, without threads or timers: random local operations on random
 * replicas, heartbeats that reach a random subset of peers, transfers, peers going down and up. After every
 * step the changes a replica reported must fold into exactly what it shows (its own elements plus those of
 * the peers it considers up); after a final round of heartbeats and transfers all replicas show the same set.
 * Seeded: a failure names the seed that reproduces it.
 */
class TrackerStateConvergenceTest {
  private static final int RUNS = 400;
  private static final int STEPS = 150;

  private static final class Node {
    final TrackerState state;
    final Map<String, Element> shown = new HashMap<>(); // by phx_ref: the fold of reported changes
    final Set<ReplicaRef> downPeers = new HashSet<>();
    int refs;

    Node(ReplicaRef ref) {
      state = new TrackerState(ref);
    }

    void apply(List<Change> changes) {
      for (Change change : changes) {
        String ref = change.element().phxRef();
        if (change.join()) {
          assertThat(shown.put(ref, change.element())).as("join of a shown ref %s", ref).isNull();
        } else {
          assertThat(shown.remove(ref)).as("leave of a ref not shown %s", ref).isNotNull();
        }
      }
    }

    Set<String> expectedShown() {
      return state.elements().stream()
          .filter(e -> !downPeers.contains(e.replica()))
          .map(Element::phxRef).collect(Collectors.toSet());
    }
  }

  @Test
  void randomOperationsOverLossyDeliveryConverge() {
    for (long seed = 1; seed <= RUNS; seed++) {
      try {
        run(new Random(seed));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
  }

  private void run(Random random) {
    int size = 2 + random.nextInt(3);
    List<Node> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      nodes.add(new Node(new ReplicaRef("n" + i, 1)));
    }
    for (Node node : nodes) {
      for (Node peer : nodes) {
        if (peer != node) {
          node.state.replicaUp(peer.state.self(), new ArrayList<>());
        }
      }
    }
    for (int step = 0; step < STEPS; step++) {
      Node node = nodes.get(random.nextInt(size));
      Node peer = nodes.get(random.nextInt(size));
      List<Change> out = new ArrayList<>();
      int dice = random.nextInt(100);
      LocalKey key = new LocalKey("t", "p" + random.nextInt(4), "u" + random.nextInt(4));
      if (dice < 35) {
        if (node.state.local(key) == null) {
          node.state.add(key, meta(node), out);
        }
      } else if (dice < 50) {
        node.state.remove(key, out);
      } else if (dice < 60) {
        if (node.state.local(key) != null) {
          node.state.remove(key, out);
          node.state.add(key, meta(node), out);
        }
      } else if (dice < 80) {
        Delta delta = node.state.takeDelta();
        for (Node other : nodes) {
          if (other != node && random.nextInt(10) < 7) {
            List<Change> theirs = new ArrayList<>();
            other.state.mergeDelta(delta, theirs);
            other.apply(theirs);
          }
        }
      } else if (dice < 90) {
        if (peer != node) {
          node.state.mergeState(peer.state.snapshotFor(node.state.self(), node.state.context().keySet()), out);
        }
      } else if (peer != node) {
        if (node.downPeers.remove(peer.state.self())) {
          node.state.replicaUp(peer.state.self(), out);
        } else {
          node.downPeers.add(peer.state.self());
          node.state.replicaDown(peer.state.self(), out);
        }
      }
      node.apply(out);
      for (Node n : nodes) {
        assertThat(n.shown.keySet()).as("what %s shows after step %d", n.state.self(), step)
            .isEqualTo(n.expectedShown());
      }
    }
    settle(nodes);
  }

  /**
   * Everyone up, then the protocol as the Tracker runs it: a heartbeat only for a non-empty delta, and a
   * transfer only from a peer whose advertised clocks are ahead, until nobody is ahead.
   */
  private void settle(List<Node> nodes) {
    for (Node node : nodes) {
      for (ReplicaRef down : List.copyOf(node.downPeers)) {
        List<Change> out = new ArrayList<>();
        node.state.replicaUp(down, out);
        node.downPeers.remove(down);
        node.apply(out);
      }
    }
    for (Node node : nodes) {
      Delta delta = node.state.takeDelta();
      for (Node other : nodes) {
        if (other != node && !delta.isEmpty()) {
          List<Change> out = new ArrayList<>();
          other.state.mergeDelta(delta, out);
          other.apply(out);
        }
      }
    }
    boolean transferred = true;
    for (int round = 0; transferred; round++) {
      assertThat(round).as("transfer rounds").isLessThan(5);
      transferred = false;
      for (Node node : nodes) {
        for (Node peer : nodes) {
          if (peer != node && Clocks.ahead(peer.state.clocks(), node.state.clocks())) {
            List<Change> out = new ArrayList<>();
            node.state.mergeState(peer.state.snapshotFor(node.state.self(), node.state.context().keySet()), out);
            node.apply(out);
            transferred = true;
          }
        }
      }
    }
    Set<String> truth = new HashSet<>();
    for (Node node : nodes) {
      node.state.elements().stream().filter(e -> e.replica().equals(node.state.self()))
          .forEach(e -> truth.add(e.phxRef()));
    }
    for (Node node : nodes) {
      assertThat(node.shown.keySet()).as("%s after settling", node.state.self()).isEqualTo(truth);
    }
  }

  private static Map<String, Object> meta(Node node) {
    return Map.of("phx_ref", node.state.self().name() + "-" + node.refs++);
  }
}
