package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Changes that pile up in one batch while the diff publisher is busy (here: held in the fetch hook, which is
 * what a diff window does for up to its length) must still reach every subscriber — including one that joined
 * in between and saw part of the batch in its {@code presence_state}. Each test ends with a fence: a last
 * change whose diff must arrive, so every earlier diff has arrived too.
 */
class LostDiffTest {
  private static final String TOPIC = "room:lobby";
  private static final String GATE_TOPIC = "room:gate";

  private final FetchGate gate = new FetchGate();
  private final List<AutoCloseable> started = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    gate.release();
    for (AutoCloseable c : started) {
      c.close();
    }
  }

  private Presence start(PubSub pubSub, String node, PresenceOptions options) {
    Presence presence = Presence.create(pubSub, node, options);
    started.add(presence);
    return presence;
  }

  /** Holds the publisher inside a flush (another topic's diff, in fetch) until {@link FetchGate#release}. */
  private void holdPublisher(PubSub pubSub, Presence presence) throws InterruptedException {
    new DiffRecorder(pubSub, GATE_TOPIC); // a subscriber, so that the diff is fetched and sent
    gate.arm();
    presence.track(GATE_TOPIC, "holder", "holder", Map.of());
    gate.awaitHeld();
  }

  /** Tracks a fence and waits until every client has its diff: every earlier diff has arrived. */
  private static void fence(Presence presence, MemoryClient... clients) {
    String ref = presence.track(TOPIC, new Object(), "fence", Map.of());
    for (MemoryClient client : clients) {
      client.await(TOPIC, "presence_diff", diff -> diff.get(4).path("joins").path("fence").toString().contains(ref));
    }
  }

  private static void assertShows(MemoryClient client, Presence presence) {
    assertThat(client.presence(TOPIC).ordered()).as("what the client shows")
        .isEqualTo(ClientPresence.ordered(presence.list(TOPIC)));
  }

  private static boolean lists(Presence presence, String key) {
    return presence.list(TOPIC).containsKey(key);
  }

  /**
   * The reported case: A is tracked; B joins and its presence_state lists A; A leaves — all before A's join
   * diff went out. B must still learn that A left (and may well get A's join first).
   */
  @Test
  void aJoinerThatListedAPresenceGetsItsLeaveWhenItsJoinWasStillPending() throws Exception {
    PubSub pubSub = new LocalPubSub();
    Presence presence = start(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO).fetch(gate));
    holdPublisher(pubSub, presence);

    MemoryClient a = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "a"));
    await().until(() -> lists(presence, "a"));
    MemoryClient b = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "b"));
    assertThat(b.first(TOPIC, "presence_state").get(4).has("a")).as("B's presence_state lists A").isTrue();
    await().until(() -> lists(presence, "b"));
    a.leave(TOPIC);
    assertThat(lists(presence, "a")).isFalse();
    gate.release();

    fence(presence, b);
    assertThat(b.payloads(TOPIC, "presence_diff")).as("diffs B received")
        .anySatisfy(diff -> assertThat(diff.get("leaves").has("a")).isTrue());
    assertShows(b, presence);
  }

  /**
   * The reported sequence as the example mostly plays it: B is in the room; A joins and leaves before A's join
   * diff went out. B's list was right without A, but B (whose user saw "A joined") must hear of A's join and
   * leave, as it would from two diffs.
   */
  @Test
  void aPresenceThatCameAndWentWithinOneBatchIsStillAnnounced() throws Exception {
    PubSub pubSub = new LocalPubSub();
    Presence presence = start(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO).fetch(gate));
    MemoryClient b = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "b"));
    b.await(TOPIC, "presence_diff", diff -> diff.get(4).get("joins").has("b"));
    holdPublisher(pubSub, presence);

    MemoryClient a = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "a"));
    await().until(() -> lists(presence, "a"));
    a.leave(TOPIC);
    gate.release();

    fence(presence, b);
    assertThat(b.payloads(TOPIC, "presence_diff")).as("diffs B received").anySatisfy(diff -> {
      assertThat(diff.get("joins").has("a")).isTrue();
      assertThat(diff.get("leaves").has("a")).isTrue();
    });
    assertShows(b, presence);
  }

  /** An update (leave old ref, join new ref) then an untrack, with a joiner listing the new ref in between. */
  @Test
  void anUpdatedPresenceListedByAJoinerThenUntrackedLeavesNoGhost() throws Exception {
    PubSub pubSub = new LocalPubSub();
    Presence presence = start(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO).fetch(gate));
    MemoryClient a = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "a"));
    a.await(TOPIC, "presence_diff", diff -> diff.get(4).get("joins").has("a"));
    holdPublisher(pubSub, presence);

    a.send(TOPIC, "1", "status", Map.of("status", "away"));
    await().until(() -> presence.list(TOPIC).get("a").toString().contains("away"));
    MemoryClient b = new MemoryClient(PresenceRoom.mount(pubSub, presence)).joined(TOPIC, Map.of("user", "b"));
    assertThat(b.first(TOPIC, "presence_state").get(4).path("a").toString()).contains("away");
    a.send(TOPIC, "1", "untrack", Map.of());
    await().until(() -> !lists(presence, "a"));
    gate.release();

    fence(presence, a, b);
    assertShows(b, presence);
    assertShows(a, presence);
  }

  /**
   * A node sees a peer go down (its presences leave), a joiner lists the topic without them, and the peer
   * comes back (they join again) — within one batch. The joiner must get them back.
   */
  @Test
  void aPeerBackWithinOneBatchRejoinsForAJoinerThatListedItGone() throws Exception {
    SimulatedCluster cluster = new SimulatedCluster();
    PresenceOptions fast = PresenceOptions.defaults().name("cluster").broadcastPeriod(Duration.ofMillis(10))
        .maxSilentPeriods(2).downPeriod(Duration.ofMillis(300)).permdownPeriod(Duration.ofSeconds(30))
        .diffWindow(Duration.ZERO);
    Presence n1 = start(cluster.node("n1"), "n1", fast.fetch(gate));
    Presence n2 = start(cluster.node("n2"), "n2", fast);
    n2.track(TOPIC, "pid-x", "x", Map.of());
    await().until(() -> lists(n1, "x"));
    holdPublisher(cluster.node("n1"), n1);

    cluster.isolate("n2");
    await().until(() -> !lists(n1, "x")); // n2 is down for n1: x leaves
    MemoryClient c = new MemoryClient(PresenceRoom.mount(cluster.node("n1"), n1)).joined(TOPIC, Map.of("user", "c"));
    JsonNode state = c.first(TOPIC, "presence_state").get(4);
    assertThat(state.has("x")).as("C's presence_state, taken while n2 was down").isFalse();
    cluster.heal("n2");
    await().until(() -> lists(n1, "x")); // n2 is back: x joins again
    gate.release();

    fence(n1, c);
    assertShows(c, n1);
  }
}
