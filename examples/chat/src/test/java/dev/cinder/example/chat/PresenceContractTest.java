package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.Json;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The contract's presence lines, driven by the official client's {@code Presence}: presence_state after
 * message_history, metas {online_at, device, status}, two devices of one user, update_status, and leaves on
 * disconnect — each client's list equal to the server's after every step.
 */
class PresenceContractTest {
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final String ROOM = "room:presence-contract";
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();




  private JsSocket connect(String user, String device) throws Exception {
    return js.connect(server.socketUrl(), Map.of("token", server.token(user), "device", device));
  }

  private static JsChannel join(JsSocket socket) {
    JsChannel channel = socket.channel(ROOM).trackPresence();
    assertThat(channel.join().status()).isEqualTo("ok");
    return channel;
  }

  /** key → {phx_ref → status} of a presence map (the server's list or a client's state). */
  private static Map<String, Map<String, String>> view(JsonNode presences) {
    Map<String, Map<String, String>> view = new TreeMap<>();
    presences.properties().forEach(e -> {
      Map<String, String> metas = new TreeMap<>();
      e.getValue().path("metas").forEach(m -> metas.put(m.path("phx_ref").stringValue(), m.path("status").stringValue()));
      view.put(e.getKey(), metas);
    });
    return view;
  }

  private static JsonNode serverList() {
    return Json.MAPPER.valueToTree(server.app().presence().list(ROOM));
  }

  /** Waits until the server shows {@code step}, then until every client's view equals the server's. */
  private static JsonNode settle(List<JsChannel> clients, Predicate<JsonNode> step) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    JsonNode server = serverList();
    while (!step.test(server) && System.nanoTime() < deadline) {
      Thread.sleep(50);
      server = serverList();
    }
    assertThat(step.test(server)).as("server list %s", server).isTrue();
    Map<String, Map<String, String>> expected = view(server);
    for (JsChannel client : clients) {
      client.awaitPresenceState(state -> view(state).equals(expected), WAIT);
    }
    return server;
  }

  @Test
  void presenceFollowsJoinsDevicesStatusAndDisconnects() throws Exception {
    JsChannel alice = join(connect("alice", "laptop"));
    alice.awaitMessage("presence_state", WAIT);
    List<String> events = alice.messages().stream().map(JsMessage::event).toList();
    assertThat(events).containsSubsequence("phx_reply", "message_history", "presence_state");
    JsonNode one = settle(List.of(alice), s -> s.has("alice"));
    JsonNode meta = one.path("alice").path("metas").get(0);
    assertThat(meta.path("device").stringValue()).isEqualTo("laptop");
    assertThat(meta.path("status").stringValue()).isEqualTo("online");
    assertThat(meta.path("online_at").longValue()).isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond() + 1);
    assertThat(meta.path("phx_ref").stringValue()).isNotBlank();

    JsChannel bob = join(connect("bob", "unknown-device"));
    settle(List.of(alice, bob), s -> s.has("alice") && s.has("bob"));

    JsSocket alicePhone = connect("alice", "phone");
    JsChannel alice2 = join(alicePhone);
    JsonNode twoDevices = settle(List.of(alice, bob, alice2), s -> s.path("alice").path("metas").size() == 2);
    assertThat(twoDevices.path("alice").path("metas").findValuesAsString("device")).containsExactlyInAnyOrder("laptop", "phone");

    assertThat(bob.push("update_status", Map.of("status", "away")).status()).isEqualTo("ok");
    settle(List.of(alice, bob, alice2), s -> s.path("bob").path("metas").get(0).path("status").stringValue().equals("away"));
    JsMessage diff = alice.awaitMessage(m -> m.event().equals("presence_diff") && m.payload().path("joins").has("bob")
        && m.payload().path("leaves").has("bob"), WAIT);
    JsonNode joined = diff.payload().path("joins").path("bob").path("metas").get(0);
    JsonNode left = diff.payload().path("leaves").path("bob").path("metas").get(0);
    assertThat(joined.path("phx_ref_prev").stringValue()).isEqualTo(left.path("phx_ref").stringValue());
    assertThat(bob.push("update_status", Map.of("status", "")).response().path("reason").stringValue()).contains("status");

    alicePhone.disconnect();
    settle(List.of(alice, bob), s -> s.path("alice").path("metas").size() == 1);

    bob.leave();
    settle(List.of(alice), s -> !s.has("bob"));
  }

  @Test
  void benchPresencePushesStateAndTracksOnlineAtOnly() throws Exception {
    JsChannel a = connect("carol", "x").channel("bench_presence:1").trackPresence();
    assertThat(a.join().status()).isEqualTo("ok");
    JsChannel b = connect("dave", "y").channel("bench_presence:1").trackPresence();
    b.join();
    JsonNode state = a.awaitPresenceState(s -> s.has("carol") && s.has("dave"), WAIT);
    JsonNode meta = state.path("dave").path("metas").get(0);
    assertThat(meta.has("online_at")).isTrue();
    assertThat(meta.has("device")).isFalse();
    assertThat(a.messages()).extracting(JsMessage::event).containsOnly("phx_reply", "presence_state", "presence_diff");
    assertThat(a.push("nope", Map.of()).response().path("reason").stringValue()).isEqualTo("unknown_event");
  }
}
