package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;

/**
 * The contract's cluster: three example nodes as separate JVMs with {@code PUBSUB=redis}, one redis-server of
 * the test's own and one secret. Broadcasts cross nodes once each, presence is the same everywhere, a Redis
 * outage is survived and counted, and a node killed with SIGKILL leaves every other node's presence lists.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterContractTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ROOM = "room:cluster";
  private static RedisServer redis;
  private static ChatNodes nodes;
  private static PhoenixJs js;
  private static JsChannel ann; // on node a
  private static JsChannel ben; // on node b
  private static JsChannel cat; // on node c

  @BeforeAll
  static void start() throws Exception {
    redis = RedisServer.launch();
    nodes = ChatNodes.start(redis.url(), List.of("a", "b", "c"), Map.of());
    js = PhoenixJs.start();
    ann = join(0, "ann");
    ben = join(1, "ben");
    cat = join(2, "cat");
  }

  @AfterAll
  static void stop() throws Exception {
    if (js != null) {
      js.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static JsChannel join(int node, String user) throws Exception {
    JsSocket socket = js.connect(nodes.socketUrl(node), Map.of("token", ChatServer.tokenFrom(nodes.port(node), user)));
    JsChannel channel = socket.channel(ROOM).trackPresence();
    assertThat(channel.join().status()).isEqualTo("ok");
    return channel;
  }

  private static Set<String> online(JsonNode state) {
    Set<String> keys = new TreeSet<>();
    state.propertyNames().forEach(keys::add);
    return keys;
  }

  /** The user ids a node lists in the room, read from its /metrics-free presence: via a joined client's last sync. */
  private static Set<String> view(int node) {
    JsChannel client = node == 0 ? ann : node == 1 ? ben : cat;
    List<JsonNode> syncs = client.events().stream().filter(e -> e.path("type").stringValue().equals("presenceSync")).toList();
    return online(syncs.getLast().path("state"));
  }

  /** Broadcasts a {@code fence} marker from one node (the admin API) and returns its payload's {@code id}. */
  private static String marker(int node, String id) throws Exception {
    String body = "{\"topic\":\"" + ROOM + "\",\"event\":\"fence\",\"payload\":{\"id\":\"" + id + "\"}}";
    assertThat(ChatServer.post(nodes.port(node), "/api/broadcast", body, ChatServer.ADMIN).status()).isEqualTo(202);
    return id;
  }

  private static void awaitMarker(JsChannel client, String id) {
    client.awaitMessage(m -> m.event().equals("fence") && m.payload().path("id").stringValue().equals(id), WAIT);
  }

  /**
   * Proves that nothing broadcast in the room before now can still reach these clients, without sleeping. Each
   * node reads its one Redis subscription in order, and Redis hands out PUBLISHes in the order it ran them. Every
   * node broadcasts a marker and the clients wait for all of them: Redis has now run everything published
   * earlier. Then a second round: each client gets markers from the other nodes through Redis, after any earlier
   * copy was handed to its channel. Last, a ping through each client's channel, which handles intercepted
   * messages (new_msg) in its own time: its answer comes after it handled what it was handed before.
   */
  private static void fence(JsChannel... clients) throws Exception {
    for (int round = 1; round <= 2; round++) {
      List<String> ids = new ArrayList<>();
      for (int node = 0; node < nodes.size(); node++) {
        ids.add(marker(node, "round " + round + " from " + node));
      }
      for (JsChannel client : clients) {
        ids.forEach(id -> awaitMarker(client, id));
      }
    }
    for (JsChannel client : clients) {
      Fence.ping(client);
    }
  }

  private static long count(JsChannel channel, String body) {
    return channel.messages().stream()
        .filter(m -> m.event().equals("new_msg") && m.payload().path("body").stringValue().equals(body)).count();
  }

  @Test
  @Order(1)
  void presenceIsTheSameOnEveryNode() {
    for (JsChannel client : List.of(ann, ben, cat)) {
      JsonNode state = client.awaitPresenceState(s -> online(s).equals(Set.of("ann", "ben", "cat")), WAIT);
      assertThat(state.path("ben").path("metas")).hasSize(1);
    }
  }

  @Test
  @Order(2)
  void aMessageSentOnOneNodeReachesEveryNodeOnce() throws Exception {
    ann.pushNoReply("new_msg", Map.of("body", "hello cluster"));
    for (JsChannel client : List.of(ann, ben, cat)) {
      JsMessage msg = client.awaitMessage(m -> m.event().equals("new_msg")
          && m.payload().path("body").stringValue().equals("hello cluster"), WAIT);
      assertThat(msg.payload().path("user_id").stringValue()).isEqualTo("ann");
      assertThat(msg.payload().path("is_own_message").booleanValue()).isEqualTo(client == ann);
    }
    fence(ann, ben, cat); // a duplicate, were there one, is here by now
    for (JsChannel client : List.of(ann, ben, cat)) {
      assertThat(count(client, "hello cluster")).isEqualTo(1);
    }
  }

  @Test
  @Order(3)
  void aBlockMadeOnOneNodeHoldsOnTheOthers() throws Exception {
    JsSocket benOnC = js.connect(nodes.socketUrl(2), Map.of("token", ChatServer.tokenFrom(nodes.port(2), "ben")));
    JsChannel ben2 = benOnC.channel(ROOM);
    assertThat(ben2.join().status()).isEqualTo("ok");
    assertThat(ben.push("block", Map.of("user_id", "ann")).status()).isEqualTo("ok"); // made on node b
    awaitMarker(ben2, marker(1, "after the block")); // node b broadcast it later: the block has crossed to node c
    ann.pushNoReply("new_msg", Map.of("body", "blocked everywhere"));
    cat.awaitMessage(m -> m.event().equals("new_msg") && m.payload().path("body").stringValue().equals("blocked everywhere"), WAIT);
    fence(ben, cat, ben2);
    ben2.assertNoMessage("new_msg", Duration.ZERO);
    assertThat(count(ben, "blocked everywhere")).isZero();
    ben2.leave();
    benOnC.disconnect();
  }

  @Test
  @Order(4)
  void adminBroadcastsAndDisconnectsWorkFromAnyNode() throws Exception {
    ChatServer.Response sent = ChatServer.post(nodes.port(2), "/api/broadcast",
        "{\"topic\":\"room:cluster\",\"event\":\"notice\",\"payload\":{\"from\":\"c\"}}", ChatServer.ADMIN);
    assertThat(sent.status()).isEqualTo(202);
    for (JsChannel client : List.of(ann, ben, cat)) {
      assertThat(client.awaitMessage("notice", WAIT).payload().path("from").stringValue()).isEqualTo("c");
    }
    // dora is on node b; the admin asks node a to disconnect her.
    JsSocket dora = js.connect(nodes.socketUrl(1), Map.of("token", ChatServer.tokenFrom(nodes.port(1), "dora")));
    // Her node subscribes her socket's id topic on Redis as the socket opens, without waiting for Redis's answer, and
    // a broadcast sent from another node before that answer does not reach her (docs/cluster.md). A node sends its
    // SUBSCRIBEs in order on one connection: once a broadcast to a topic she joined later reaches her, the id topic's
    // subscription is in place too. (A disconnect sent too early would be lost, not late: it cannot be retried.)
    JsChannel inbox = dora.channel("notifications:dora");
    assertThat(inbox.join().status()).isEqualTo("ok");
    String ready = "{\"topic\":\"notifications:dora\",\"event\":\"ready\",\"payload\":{}}";
    await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> {
      assertThat(ChatServer.post(nodes.port(0), "/api/broadcast", ready, ChatServer.ADMIN).status()).isEqualTo(202);
      return inbox.messages().stream().anyMatch(m -> m.event().equals("ready"));
    });
    assertThat(ChatServer.post(nodes.port(0), "/api/users/dora/disconnect", "", ChatServer.ADMIN).status()).isEqualTo(202);
    assertThat(dora.awaitClose(WAIT)).isEqualTo(1001);
    dora.disconnect();
  }

  @Test
  @Order(5)
  void aRedisOutageIsSurvivedCountedAndHealed() throws Exception {
    for (JsChannel client : List.of(ann, ben, cat)) {
      client.skipPending();
    }
    redis.kill();
    cat.pushNoReply("new_msg", Map.of("body", "during the outage"));
    cat.awaitMessage(m -> m.event().equals("new_msg") && m.payload().path("body").stringValue().equals("during the outage"), WAIT);
    await().atMost(WAIT).until(() -> nodes.metric(2, "cinder_cluster_undelivered_total") > 0);
    // Cut off for longer than the down period (3 s), each node sees only its own users...
    for (JsChannel client : List.of(ann, ben, cat)) {
      String self = client == ann ? "ann" : client == ben ? "ben" : "cat";
      client.awaitPresenceState(s -> online(s).equals(Set.of(self)), WAIT);
    }
    redis.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> nodes.metric(0, "cinder_cluster_connected") == 1
        && nodes.metric(1, "cinder_cluster_connected") == 1 && nodes.metric(2, "cinder_cluster_connected") == 1);

    // ...and once Redis is back, presence converges again everywhere (the silent peers come back up).
    for (JsChannel client : List.of(ann, ben, cat)) {
      client.awaitPresenceState(s -> online(s).equals(Set.of("ann", "ben", "cat")), Duration.ofSeconds(20));
    }
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String body = "after the outage " + System.nanoTime();
      cat.pushNoReply("new_msg", Map.of("body", body));
      ann.awaitMessage(m -> m.event().equals("new_msg") && m.payload().path("body").stringValue().equals(body), Duration.ofSeconds(2));
    });
    // Node c's later broadcasts have crossed: had it kept the message of the outage, it would be here (one
    // connection, in order). Nothing is replayed.
    fence(ann, ben, cat);
    assertThat(count(ann, "during the outage")).isZero();
    assertThat(count(ben, "during the outage")).isZero();
  }

  @Test
  @Order(6)
  void aKilledNodeLeavesEveryOtherNodesPresence() throws Exception {
    // The servers agree before the kill: once the presence the outage before this test disturbed has healed.
    await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
      assertThat(view(0)).isEqualTo(Set.of("ann", "ben", "cat"));
      assertThat(view(2)).isEqualTo(Set.of("ann", "ben", "cat"));
    });
    for (JsChannel client : List.of(ann, cat)) { // what earlier tests left (e.g. the outage's flaps) is not evidence
      client.skipPending();
    }
    nodes.process(1).kill(); // node b, with ben, dies without a goodbye
    for (JsChannel client : List.of(ann, cat)) {
      client.awaitPresenceState(s -> online(s).equals(Set.of("ann", "cat")), Duration.ofSeconds(15));
      JsMessage leave = client.awaitMessage(m -> m.event().equals("presence_diff") && m.payload().path("leaves").has("ben"),
          Duration.ofSeconds(1));
      assertThat(leave.payload().path("leaves").path("ben").path("metas")).hasSize(1); // fresh: older events were skipped
    }
  }
}
