package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.internal.socket.SocketMount;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;

/**
 * Randomized and seeded: writer threads track, update and untrack presences on shared topics (owners on
 * several topics, several metas per key) while channels join those topics as subscribers (tracking their own
 * user, updating it) and leave or lose their socket. Then every subscriber still there — and a bare subscriber
 * from the start — must show exactly its node's {@code list(topic)}, rebuilt from its presence_state and the
 * diffs it got the way the official client does. A fence change per node and topic, whose diffs must arrive,
 * proves that every diff is in. On one node, and on two replicating through a {@link SimulatedCluster}.
 *
 * <p>The operation sequences follow the seed (thread timing does not): {@code -Dpresence.stress.seed=N} replays
 * one, {@code -Dpresence.stress.rounds=N} runs more rounds.
 */
class PresenceStressTest {
  private static final List<String> TOPICS = List.of("room:s0", "room:s1", "room:s2");
  private static final int WRITERS = 4;
  private static final int OPS = 400;
  private static final int OPS_PER_STEP = 20;
  private static final Duration[] WINDOWS = {Duration.ofMillis(2), Duration.ZERO, Duration.ofMillis(10)};
  /** Replication every 10 ms; nobody goes down during a round, however loaded the machine. */
  private static final PresenceOptions OPTIONS = PresenceOptions.defaults().name("stress")
      .broadcastPeriod(Duration.ofMillis(10)).maxSilentPeriods(2).downPeriod(Duration.ofSeconds(60))
      .permdownPeriod(Duration.ofSeconds(120));

  /** A fetch hook that now and then stalls a little, so that changes pile up behind a diff being sent. */
  private static final PresenceFetch JITTERY = (topic, presences) -> {
    if (ThreadLocalRandom.current().nextInt(16) == 0) {
      LockSupport.parkNanos(300_000);
    }
    return presences;
  };

  /** One node: its Presence, a socket mount for channels, and bare subscribers from the start (topic → one). */
  private record Node(Presence presence, SocketMount mount, Map<String, DiffRecorder> bare) {}

  private static ConditionFactory soon() {
    return await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  @Test
  void oneNode() throws Exception {
    rounds(1, true);
  }

  @Test
  void twoNodes() throws Exception {
    rounds(2, true);
  }

  /** Without a fetch hook, joiners get the shared, encoded-once presence_state (Presence.state). */
  @Test
  void oneNodeSharedState() throws Exception {
    rounds(1, false);
  }

  @Test
  void twoNodesSharedState() throws Exception {
    rounds(2, false);
  }

  private void rounds(int nodes, boolean fetch) throws Exception {
    long first = Long.getLong("presence.stress.seed", 1);
    int rounds = Integer.getInteger("presence.stress.rounds", 3);
    for (long seed = first; seed < first + rounds; seed++) {
      round(seed, WINDOWS[(int) (seed % WINDOWS.length)], nodes, fetch);
    }
  }

  private void round(long seed, Duration window, int nodeCount, boolean fetch) throws Exception {
    SimulatedCluster cluster = new SimulatedCluster();
    List<Node> nodes = new ArrayList<>();
    try {
      for (int n = 0; n < nodeCount; n++) {
        PubSub pubSub = cluster.node("n" + n);
        PresenceOptions options = OPTIONS.diffWindow(window);
        Presence presence = Presence.create(pubSub, "n" + n, fetch ? options.fetch(JITTERY) : options);
        Map<String, DiffRecorder> bare = new HashMap<>();
        // Not on the last topic: there, diffs go to no subscriber at times, and are skipped.
        TOPICS.subList(0, TOPICS.size() - 1).forEach(topic -> bare.put(topic, new DiffRecorder(pubSub, topic)));
        nodes.add(new Node(presence, PresenceRoom.mount(pubSub, presence), bare));
      }
      Subscribers subscribers = run(seed, nodes);
      String context = "seed " + seed + ", window " + window.toMillis() + " ms, " + nodeCount + " node(s), "
          + (fetch ? "fetched states" : "shared states");
      check(context, nodes, subscribers);
    } finally {
      nodes.forEach(node -> node.presence().close());
    }
  }

  /** The writers and the subscribers at work, until every writer is done and every change is made. */
  private Subscribers run(long seed, List<Node> nodes) throws Exception {
    Subscribers subscribers = new Subscribers(nodes, new Random(seed));
    AtomicInteger done = new AtomicInteger();
    List<Thread> threads = new ArrayList<>();
    for (int w = 0; w < WRITERS; w++) {
      Writer writer = new Writer(nodes.get(w % nodes.size()).presence(), w, new Random(seed * 31 + w), done);
      threads.add(Thread.ofPlatform().name("writer-" + w).start(writer::run));
    }
    // One subscriber step every OPS_PER_STEP writes, whatever the threads' speed: the same channels every run.
    Thread joiner = Thread.ofPlatform().name("subscribers").start(() -> {
      for (int step = 1; step * OPS_PER_STEP < WRITERS * OPS; step++) {
        while (done.get() < step * OPS_PER_STEP) {
          LockSupport.parkNanos(50_000); // pacing only: spinning would starve the writers of a core
        }
        subscribers.step();
      }
    });
    for (Thread thread : threads) {
      thread.join();
    }
    joiner.join();
    subscribers.awaitSettled();
    return subscribers;
  }

  /** Fences every topic on every node, then compares every subscriber with its node's list. */
  private static void check(String context, List<Node> nodes, Subscribers subscribers) {
    for (String topic : TOPICS) {
      soon().until(() -> nodes.stream().map(n -> ClientPresence.normalize(n.presence().list(topic))).distinct()
          .count() == 1); // replication done
      List<String> fences = new ArrayList<>();
      for (Node node : nodes) {
        fences.add(node.presence().track(topic, "fence", "~fence", Map.of()));
      }
      for (int n = 0; n < nodes.size(); n++) {
        Node node = nodes.get(n);
        List<MemoryClient> clients = subscribers.live(n, topic);
        for (String fence : fences) {
          for (MemoryClient client : clients) {
            client.await(topic, "presence_diff", f -> f.get(4).path("joins").toString().contains(fence));
          }
          DiffRecorder bare = node.bare().get(topic);
          if (bare != null) {
            soon().until(() -> bare.diffs.stream().anyMatch(d -> d.path("joins").toString().contains(fence)));
          }
        }
        var expected = ClientPresence.ordered(node.presence().list(topic));
        String where = context + ", " + topic + " on n" + n;
        if (node.bare().containsKey(topic)) {
          assertThat(node.bare().get(topic).client.ordered()).as("%s: a subscriber from the start", where)
              .isEqualTo(expected);
        }
        for (MemoryClient client : clients) {
          assertThat(client.presence(topic).ordered()).as("%s: a channel that joined meanwhile", where)
              .isEqualTo(expected);
        }
      }
    }
    subscribers.closeAll();
  }

  /** One thread's owners: each tracks its user on some topics; a thread changes only its own. */
  private static final class Writer {
    private final Presence presence;
    private final int id;
    private final Random random;
    private final AtomicInteger done;
    private final Map<String, Set<String>> tracked = new HashMap<>(); // owner → its topics
    private final Map<String, String> users = new HashMap<>();
    private int next;

    Writer(Presence presence, int id, Random random, AtomicInteger done) {
      this.presence = presence;
      this.id = id;
      this.random = random;
      this.done = done;
    }

    void run() {
      for (int i = 0; i < OPS; i++) {
        List<String> owners = new ArrayList<>(tracked.keySet());
        int dice = random.nextInt(100);
        if (dice < 40 || owners.isEmpty()) {
          String owner = "w" + id + "-" + next++;
          users.put(owner, "u" + random.nextInt(6)); // few users: several metas per key
          track(owner);
        } else {
          String owner = owners.get(random.nextInt(owners.size()));
          List<String> topics = new ArrayList<>(tracked.get(owner));
          String topic = topics.get(random.nextInt(topics.size()));
          if (dice < 55) {
            track(owner); // the same owner on another topic, maybe
          } else if (dice < 80) {
            presence.update(topic, owner, users.get(owner), Map.of("op", i));
          } else if (dice < 95) {
            presence.untrack(topic, owner, users.get(owner));
            forget(owner, topic);
          } else {
            presence.untrackAll(owner);
            tracked.remove(owner);
          }
        }
        done.incrementAndGet();
        if (random.nextInt(8) == 0) {
          Thread.yield();
        }
      }
    }

    private void track(String owner) {
      String topic = TOPICS.get(random.nextInt(TOPICS.size()));
      if (tracked.computeIfAbsent(owner, o -> new HashSet<>()).add(topic)) {
        presence.track(topic, owner, users.get(owner), Map.of("op", next));
      }
    }

    private void forget(String owner, String topic) {
      Set<String> topics = tracked.get(owner);
      topics.remove(topic);
      if (topics.isEmpty()) {
        tracked.remove(owner);
      }
    }
  }

  /** Channels joining as subscribers on any node, changing their status, leaving or losing their socket. */
  private static final class Subscribers {
    private final List<Node> nodes;
    private final Random random;
    private final Map<String, List<MemoryClient>> live = new HashMap<>(); // "node topic" → channels
    private final Map<MemoryClient, String> users = new HashMap<>();
    private int next;

    Subscribers(List<Node> nodes, Random random) {
      this.nodes = nodes;
      this.random = random;
    }

    List<MemoryClient> live(int node, String topic) {
      return live.computeIfAbsent(node + " " + topic, k -> new ArrayList<>());
    }

    void step() {
      int node = random.nextInt(nodes.size());
      String topic = TOPICS.get(random.nextInt(TOPICS.size()));
      List<MemoryClient> clients = live(node, topic);
      int dice = random.nextInt(100);
      if (dice < 50 || clients.isEmpty()) {
        MemoryClient client = new MemoryClient(nodes.get(node).mount());
        String user = "s" + next++;
        client.send(topic, "1", "phx_join", Map.of("user", user));
        clients.add(client);
        users.put(client, user);
      } else if (dice < 75) {
        clients.get(random.nextInt(clients.size())).send(topic, "1", "status", Map.of("status", "s" + dice));
      } else if (dice < 88) {
        clients.remove(random.nextInt(clients.size())).send(topic, "1", "phx_leave", Map.of());
      } else {
        clients.remove(random.nextInt(clients.size())).session.transportClosed();
      }
    }

    /** Waits until every live channel handled all it was sent, and every node lists exactly the live ones. */
    void awaitSettled() {
      live.forEach((seat, clients) -> clients.forEach(client -> client.roundTrip(seat.split(" ")[1])));
      for (String topic : TOPICS) {
        Set<String> expected = new HashSet<>();
        for (int n = 0; n < nodes.size(); n++) {
          live(n, topic).forEach(client -> expected.add(users.get(client)));
        }
        for (Node node : nodes) {
          soon().until(() -> {
            Set<String> keys = new HashSet<>(node.presence().list(topic).keySet());
            keys.removeIf(key -> !key.startsWith("s"));
            return keys.equals(expected);
          });
        }
      }
    }

    void closeAll() {
      live.values().forEach(clients -> clients.forEach(client -> client.session.transportClosed()));
    }
  }
}
