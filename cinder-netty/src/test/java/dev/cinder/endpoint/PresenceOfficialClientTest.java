package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.SocketOptions;
import dev.cinder.internal.Json;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceFetch;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Presence through the official client's {@code Presence} (syncState, syncDiff, list): after every step each
 * client's view equals the server's {@code list} — same keys, same metas by {@code phx_ref}.
 */
class PresenceOfficialClientTest {
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final String TOPIC = "presence:lobby";
  private static TestServer server;
  private static Presence presence;
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  /** The fetch hook: passes presences through, or holds one diff being published (see {@link FetchHold}). */
  private static final FetchHold hold = new FetchHold();

  /**
   * Once armed, holds the next fetch until released: the presence publisher stays busy with that diff, and every
   * change made meanwhile waits for the next one, as changes within one diff window do.
   */
  private static final class FetchHold implements PresenceFetch {
    private final AtomicBoolean armed = new AtomicBoolean();
    private volatile CountDownLatch held = new CountDownLatch(1);
    private volatile CountDownLatch released = new CountDownLatch(0);

    void arm() {
      held = new CountDownLatch(1);
      released = new CountDownLatch(1);
      armed.set(true);
    }

    void awaitHeld() throws InterruptedException {
      assertThat(held.await(10, TimeUnit.SECONDS)).as("a fetch reached the hold").isTrue();
    }

    void release() {
      released.countDown();
    }

    @Override
    public Map<String, Map<String, Object>> fetch(String topic, Map<String, Map<String, Object>> presences) {
      if (armed.compareAndSet(true, false)) {
        held.countDown();
        try {
          released.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return presences;
    }
  }

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults());
    presence = Presence.create(server.endpoint.pubSub(), "n1",
        PresenceOptions.defaults().diffWindow(Duration.ofMillis(10)).fetch(hold));
    server.socket.presence = presence;
  }

  @AfterAll
  static void stop() {
    presence.close();
    server.close();
  }


  /** key → {phx_ref → status}, from the server's list or a client's state. */
  private static Map<String, Map<String, String>> view(JsonNode state) {
    Map<String, Map<String, String>> view = new TreeMap<>();
    state.properties().forEach(e -> {
      Map<String, String> metas = new TreeMap<>();
      e.getValue().path("metas").forEach(m -> metas.put(m.path("phx_ref").stringValue(), m.path("status").stringValue()));
      view.put(e.getKey(), metas);
    });
    return view;
  }

  private static Map<String, Map<String, String>> serverView() {
    return serverView(TOPIC);
  }

  private static Map<String, Map<String, String>> serverView(String topic) {
    return view(Json.MAPPER.valueToTree(presence.list(topic)));
  }

  /**
   * Waits until the server's list shows the step ({@code expected}) and every client's view equals it, and
   * returns that view.
   */
  private static Map<String, Map<String, String>> converged(List<JsChannel> clients,
      java.util.function.Predicate<Map<String, Map<String, String>>> expectedStep) {
    Map<String, Map<String, String>> expected = null;
    for (int attempt = 0; attempt < 50; attempt++) {
      Map<String, Map<String, String>> server = serverView();
      if (!expectedStep.test(server)) {
        expected = server;
        sleep(100);
        continue;
      }
      boolean all = true;
      for (JsChannel client : clients) {
        List<JsonNode> syncs = client.events().stream().filter(e -> e.path("type").stringValue().equals("presenceSync")).toList();
        if (syncs.isEmpty() || !view(syncs.getLast().path("state")).equals(server)) {
          all = false;
        }
      }
      if (all) {
        return server;
      }
      expected = server;
      sleep(100);
    }
    for (JsChannel client : clients) {
      JsonNode state = client.awaitPresenceState(s -> false, Duration.ofMillis(1));
      assertThat(view(state)).as("client view of %s", client).isEqualTo(expected);
    }
    throw new AssertionError("not converged");
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsChannel join(JsSocket socket, String device) {
    return join(socket, TOPIC, device);
  }

  private static JsChannel join(JsSocket socket, String topic, String device) {
    JsChannel channel = socket.channel(topic).trackPresence();
    assertThat(channel.join(Map.of("device", device)).status()).isEqualTo("ok");
    return channel;
  }

  @Test
  void everyClientSeesWhatTheServerListsAfterEveryStep() {
    JsSocket aliceSocket = js.connect(server.socketUrl(), Map.of("user", "alice"));
    JsChannel alice = join(aliceSocket, "phone");
    assertThat(converged(List.of(alice), v -> v.size() == 1)).containsOnlyKeys("alice");

    JsChannel bob = join(js.connect(server.socketUrl(), Map.of("user", "bob")), "desktop");
    assertThat(converged(List.of(alice, bob), v -> v.size() == 2)).containsOnlyKeys("alice", "bob");

    JsSocket aliceLaptop = js.connect(server.socketUrl(), Map.of("user", "alice"));
    JsChannel alice2 = join(aliceLaptop, "laptop");
    Map<String, Map<String, String>> twoDevices = converged(List.of(alice, bob, alice2), v -> v.get("alice").size() == 2);
    assertThat(twoDevices.get("alice")).hasSize(2);
    JsonNode aliceMetas = Json.MAPPER.valueToTree(presence.list(TOPIC)).path("alice").path("metas");
    Set<String> devices = new TreeSet<>();
    aliceMetas.forEach(m -> devices.add(m.path("device").stringValue()));
    assertThat(devices).containsExactly("laptop", "phone");

    assertThat(bob.push("update_status", Map.of("status", "away")).status()).isEqualTo("ok");
    Map<String, Map<String, String>> updated = converged(List.of(alice, bob, alice2), v -> v.get("bob").containsValue("away"));
    assertThat(updated.get("bob").values()).containsExactly("away");

    aliceLaptop.disconnect(); // abrupt for the server: the transport goes, the channel never left
    Map<String, Map<String, String>> afterDisconnect = converged(List.of(alice, bob), v -> v.get("alice").size() == 1);
    assertThat(afterDisconnect.get("alice")).hasSize(1);

    bob.leave();
    assertThat(converged(List.of(alice), v -> !v.containsKey("bob"))).containsOnlyKeys("alice");
    // The client's onLeave fired for bob with no metas left, and for alice's laptop with her phone remaining.
    List<JsonNode> leaves = alice.events().stream().filter(e -> e.path("type").stringValue().equals("presenceLeave")).toList();
    assertThat(leaves).anySatisfy(e -> {
      assertThat(e.path("key").stringValue()).isEqualTo("bob");
      assertThat(e.path("current").path("metas").size()).isZero();
    });
    assertThat(leaves).anySatisfy(e -> {
      assertThat(e.path("key").stringValue()).isEqualTo("alice");
      assertThat(e.path("current").path("metas").size()).isEqualTo(1);
    });
  }

  /**
   * The sequence of a report: A is tracked; B joins and its presence_state lists A; A leaves — all while A's
   * join diff is still pending (here: the publisher is held in fetch, as a diff window holds it). B's client
   * must end up without A.
   */
  @Test
  void aJoinerWhoseStateListsAPresenceSeesItLeaveThoughItsJoinDiffWasPending() throws Exception {
    String topic = "presence:pending";
    JsSocket socketA = js.connect(server.socketUrl(), Map.of("user", "a"));
    JsSocket socketB = js.connect(server.socketUrl(), Map.of("user", "b"));
    PubSub.Subscription gateSubscriber = server.endpoint.pubSub().subscribe("presence:gate", dispatch -> {});
    hold.arm();
    presence.track("presence:gate", "holder", "holder", Map.of()); // its diff holds the publisher
    JsChannel b;
    try {
      hold.awaitHeld();
      JsChannel a = join(socketA, topic, "phone");
      await().until(() -> presence.list(topic).containsKey("a"));
      b = join(socketB, topic, "desktop");
      b.awaitPresenceState(state -> state.has("a"), WAIT); // B's presence_state lists A
      await().until(() -> presence.list(topic).containsKey("b"));
      a.leave();
      await().until(() -> !presence.list(topic).containsKey("a"));
    } finally {
      hold.release();
      presence.untrackAll("holder");
      gateSubscriber.close();
    }

    presence.track(topic, "fence", "fence", Map.of("status", "fence")); // its diff comes after every earlier one
    JsonNode state = b.awaitPresenceState(s -> s.has("fence"), WAIT);
    assertThat(view(state)).as("B's client").isEqualTo(serverView(topic));
    assertThat(view(state)).containsOnlyKeys("b", "fence");
    presence.untrackAll("fence");
  }
}
