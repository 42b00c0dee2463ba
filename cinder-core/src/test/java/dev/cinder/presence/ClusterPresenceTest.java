package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.internal.presence.Element;
import dev.cinder.internal.presence.ReplicaRef;
import dev.cinder.internal.presence.TrackerCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Several replicas in one JVM, each a node with its own PubSub joined by a {@link SimulatedCluster}, with
 * periods of milliseconds. Every node must end up listing the same presences, and the diffs it sent must
 * rebuild its list on a client.
 */
class ClusterPresenceTest {
  private static final String TOPIC = "room:1";
  private static final PresenceOptions FAST = PresenceOptions.defaults().name("cluster")
      .broadcastPeriod(Duration.ofMillis(10)).maxSilentPeriods(2)
      .downPeriod(Duration.ofMillis(400)).permdownPeriod(Duration.ofMillis(1200)).diffWindow(Duration.ofMillis(5));
  /** Down and permdown far away: whatever happens quickly must come from something else. */
  private static final PresenceOptions SLOW_DOWN = FAST.downPeriod(Duration.ofSeconds(4)).permdownPeriod(Duration.ofSeconds(8));

  private final SimulatedCluster cluster = new SimulatedCluster();
  private final List<Presence> started = new ArrayList<>();
  private final Map<String, DiffRecorder> recorders = new HashMap<>();
  /** What is tracked, by owner: the node that tracked it, the key, the current phx_ref. */
  private final Map<String, Tracked> model = new LinkedHashMap<>();

  private record Tracked(Presence node, String key, String ref) {}

  @AfterEach
  void close() {
    started.forEach(Presence::close);
  }

  private Presence node(String name, PresenceOptions options) {
    DiffRecorder recorder = recorders.computeIfAbsent(name, n -> new DiffRecorder(cluster.node(n), TOPIC));
    Presence presence = Presence.create(cluster.node(name), name, options);
    started.add(presence);
    return presence;
  }

  private void track(Presence node, String owner, String key) {
    model.put(owner, new Tracked(node, key, node.track(TOPIC, owner, key, Map.of("owner", owner))));
  }

  private void untrack(String owner) {
    Tracked tracked = model.remove(owner);
    tracked.node().untrack(TOPIC, owner, tracked.key());
  }

  private void update(String owner, String status) {
    Tracked t = model.get(owner);
    model.put(owner, new Tracked(t.node(), t.key(), t.node().update(TOPIC, owner, t.key(), Map.of("status", status))));
  }

  private Map<String, Set<String>> expected(Set<String> owners) {
    Map<String, Set<String>> refs = new HashMap<>();
    model.forEach((owner, t) -> {
      if (owners == null || owners.contains(owner)) {
        refs.computeIfAbsent(t.key(), k -> new HashSet<>()).add(t.ref());
      }
    });
    return refs;
  }

  private static ConditionFactory soon() {
    return await().pollInterval(Duration.ofMillis(10)).atMost(Duration.ofSeconds(10));
  }

  /** Every node lists exactly {@code refs}, and what its clients rebuilt from its diffs equals its list. */
  private void awaitShows(Map<String, Set<String>> refs, Presence... nodes) {
    for (Presence node : nodes) {
      soon().untilAsserted(() -> {
        assertThat(ClientPresence.refs(node.list(TOPIC))).as("list of %s", node.nodeName()).isEqualTo(refs);
        assertThat(recorders.get(node.nodeName()).client.metas()).as("client of %s", node.nodeName())
            .isEqualTo(ClientPresence.normalize(node.list(TOPIC)));
      });
    }
    for (Presence node : nodes) {
      assertThat(ClientPresence.normalize(node.list(TOPIC))).isEqualTo(ClientPresence.normalize(nodes[0].list(TOPIC)));
    }
  }

  /** Whether {@code node} stores an element of any of {@code replicas} (a node's shards are replicas of their own). */
  private static boolean stores(Presence node, Set<ReplicaRef> replicas) {
    return node.trackers().stream().flatMap(t -> t.elements().stream()).map(Element::replica).anyMatch(replicas::contains);
  }

  private static Set<ReplicaRef> selves(Presence node) {
    return node.trackers().stream().map(t -> t.self()).collect(java.util.stream.Collectors.toSet());
  }

  @Test
  void interleavedJoinsLeavesAndUpdatesOnAllNodesConverge() throws InterruptedException {
    List<Presence> nodes = List.of(node("a", FAST), node("b", FAST), node("c", FAST));
    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      for (int i = 0; i < 80; i++) {
        Presence node = nodes.get(random.nextInt(nodes.size()));
        List<String> mine = model.entrySet().stream().filter(e -> e.getValue().node() == node).map(Map.Entry::getKey).toList();
        int dice = random.nextInt(100);
        if (dice < 55 || mine.isEmpty()) {
          track(node, "o" + seed + "-" + i, "u" + random.nextInt(8));
        } else if (dice < 80) {
          untrack(mine.get(random.nextInt(mine.size())));
        } else {
          update(mine.get(random.nextInt(mine.size())), "s" + i);
        }
        if (random.nextInt(4) == 0) {
          Thread.sleep(random.nextInt(15)); // let heartbeats fall between operations
        }
      }
      awaitShows(expected(null), nodes.toArray(Presence[]::new));
    }
  }

  @Test
  void aNodeStartedLaterCatchesUpByTransfer() {
    Presence a = node("a", FAST);
    for (int i = 0; i < 50; i++) {
      track(a, "early" + i, "u" + i);
    }
    awaitShows(expected(null), a);
    Presence b = node("b", FAST);
    track(b, "late", "u0");
    awaitShows(expected(null), a, b);
  }

  @Test
  void aSilentNodesPresencesLeaveAfterTheDownPeriodAndArePurgedAfterPermdown() {
    Presence a = node("a", FAST);
    Presence b = node("b", FAST);
    Presence c = node("c", FAST);
    track(a, "pa", "ua");
    track(b, "pb1", "ub1");
    track(b, "pb2", "ub2");
    track(c, "pc", "uc");
    awaitShows(expected(null), a, b, c);

    Set<ReplicaRef> dead = selves(b);
    b.close(); // killed: it just stops sending
    awaitShows(expected(Set.of("pa", "pc")), a, c);
    assertThat(stores(a, dead)).as("down, not yet permdown: kept in case it comes back").isTrue();
    assertThat(a.shard(TOPIC).peers()).containsEntry("b", "down");

    soon().until(() -> !stores(a, dead) && !stores(c, dead) && !a.shard(TOPIC).peers().containsKey("b"));
  }

  @Test
  void aNetsplitHidesTheOtherSideAndHealingShowsItAgainWithWhatChanged() {
    Presence a = node("a", FAST);
    Presence b = node("b", FAST);
    Presence c = node("c", FAST);
    track(a, "pa", "ua");
    track(b, "pb1", "ub1");
    track(b, "pb2", "ub2");
    track(c, "pc", "uc");
    awaitShows(expected(null), a, b, c);

    cluster.isolate("b");
    awaitShows(expected(Set.of("pa", "pc")), a, c);
    awaitShows(expected(Set.of("pb1", "pb2")), b);
    untrack("pb1");
    update("pb2", "away");
    track(b, "pb3", "ub3");
    track(a, "pa2", "ua2");

    cluster.heal("b"); // same vsn: b comes back up, and transfers fill in what each side missed
    awaitShows(expected(null), a, b, c);
  }

  @Test
  void aRestartedNodeReplacesItsOldIncarnationAtOnce() {
    Presence a = node("a", SLOW_DOWN);
    Presence b = node("b", SLOW_DOWN);
    track(b, "old", "u1");
    awaitShows(expected(null), a, b);

    ReplicaRef old = b.tracker().self();
    Set<ReplicaRef> olds = selves(b);
    b.close();
    model.remove("old");
    Presence restarted = node("b", SLOW_DOWN);
    assertThat(restarted.tracker().self().vsn()).isGreaterThan(old.vsn());
    track(restarted, "new", "u1");

    awaitShows(expected(null), a); // well before the 4 s down period: the new vsn downed the old one
    assertThat(stores(a, olds)).isFalse();
  }

  @Test
  void aGracefulShutdownIsForgottenAtOnce() {
    Presence a = node("a", SLOW_DOWN);
    Presence b = node("b", SLOW_DOWN.permdownOnShutdown(true));
    track(b, "pb", "ub");
    awaitShows(expected(null), a, b);

    b.close();
    model.remove("pb");
    awaitShows(expected(null), a);
    assertThat(a.shard(TOPIC).peers()).doesNotContainKey("b");
  }

  /**
   * A heartbeat already on its way out when a node closes gracefully must go before the permdown: after it,
   * it would bring the node back up on its peers, from the dead.
   */
  @Test
  void aGracefulShutdownIsTheLastMessageEvenWithAHeartbeatOnItsWay() throws InterruptedException {
    Presence a = node("a", SLOW_DOWN);
    Presence b = node("b", SLOW_DOWN.permdownOnShutdown(true));
    track(b, "pb", "ub");
    awaitShows(expected(null), a, b);

    SimulatedCluster.Hold heartbeat = cluster.holdNext("b", TrackerCodec.HEARTBEAT);
    heartbeat.awaitHeld();
    Thread closing = Thread.ofVirtual().start(b::close);
    heartbeat.release();
    heartbeat.awaitPassed();
    closing.join();
    model.remove("pb");

    Presence c = node("c", SLOW_DOWN); // c's first heartbeat reaches a after everything b sent
    soon().until(() -> a.shard(TOPIC).peers().containsKey("c"));
    assertThat(a.shard(TOPIC).peers()).doesNotContainKey("b");
    awaitShows(expected(null), a);
  }

  /**
   * Shards: two nodes track on many topics from many threads at once; every topic lands in one of the shards,
   * and both nodes end up listing everything on every topic, exactly.
   */
  @Test
  void manyTopicsTrackedConcurrentlyOnShardedNodesAllReplicate() throws Exception {
    PresenceOptions sharded = FAST.shards(4);
    Presence a = node("a", sharded);
    Presence b = node("b", sharded);
    int topics = 40;
    int keys = 25;
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      int thread = t;
      threads.add(Thread.ofPlatform().start(() -> {
        for (int topic = thread; topic < topics; topic += 8) {
          for (int k = 0; k < keys; k++) {
            Presence node = k % 2 == 0 ? a : b;
            node.track("room:many" + topic, "owner" + topic + "-" + k, "user" + k, Map.of("k", k));
          }
        }
      }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(a.trackers()).hasSize(4);
    soon().until(() -> {
      for (int topic = 0; topic < topics; topic++) {
        if (a.list("room:many" + topic).size() != keys || b.list("room:many" + topic).size() != keys) {
          return false;
        }
      }
      return true;
    });
    for (int topic = 0; topic < topics; topic++) {
      assertThat(ClientPresence.normalize(a.list("room:many" + topic)))
          .isEqualTo(ClientPresence.normalize(b.list("room:many" + topic)));
    }
    long shardsUsed = a.trackers().stream().filter(t -> !t.elements().isEmpty()).count();
    assertThat(shardsUsed).as("topics spread over the shards").isGreaterThan(1);
    assertThat(a.size()).isEqualTo((long) topics * keys);
  }
}
