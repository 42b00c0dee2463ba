package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.internal.Json;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Presence for large topics over real sockets: the shared {@code presence_state} seen through the official
 * client's {@code Presence}, count-only topics as the official client receives them, and a client that stops
 * reading during a presence storm.
 */
class PresenceAtScaleOfficialClientTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private static TestServer server(SocketOptions socketOptions, PresenceOptions presenceOptions, List<Presence> close) {
    TestServer server = new TestServer(socketOptions);
    Presence presence = Presence.create(server.endpoint.pubSub(), "n1", presenceOptions);
    server.socket.presence = presence;
    close.add(presence);
    return server;
  }

  /** key → sorted phx_refs, from a presence_state-shaped JSON object. */
  private static Map<String, TreeSet<String>> refs(JsonNode state) {
    Map<String, TreeSet<String>> refs = new TreeMap<>();
    state.properties().forEach(e -> {
      TreeSet<String> metas = new TreeSet<>();
      e.getValue().path("metas").forEach(m -> metas.add(m.path("phx_ref").stringValue()));
      refs.put(e.getKey(), metas);
    });
    return refs;
  }

  @Test
  void joinersSharingOneEncodedStateSeeWhatTheServerLists() {
    List<Presence> presences = new ArrayList<>();
    // A long window: the joins after the first diff share one encoded state.
    try (TestServer server = server(SocketOptions.defaults(),
        PresenceOptions.defaults().diffWindow(Duration.ofMillis(500)), presences)) {
      Presence presence = presences.getFirst();
      String topic = "presence:shared";
      List<JsChannel> clients = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        JsSocket socket = js.connect(server.socketUrl(), Map.of("user", "user" + i));
        JsChannel channel = socket.channel(topic).trackPresence();
        assertThat(channel.join(Map.of("device", "d" + i)).status()).isEqualTo("ok");
        clients.add(channel);
      }
      await().atMost(WAIT).until(() -> presence.list(topic).size() == 6);
      Map<String, TreeSet<String>> expected = refs(Json.MAPPER.valueToTree(presence.list(topic)));
      for (JsChannel client : clients) {
        JsonNode state = client.awaitPresenceState(s -> refs(s).equals(expected), WAIT);
        assertThat(refs(state)).as("%s", client).isEqualTo(expected);
      }
      presences.forEach(Presence::close);
    }
  }

  @Test
  void aCountOnlyTopicReachesTheOfficialClientAsPresenceCount() {
    List<Presence> presences = new ArrayList<>();
    try (TestServer server = server(SocketOptions.defaults(), PresenceOptions.defaults().diffWindow(Duration.ZERO)
        .countOnly(topic -> topic.startsWith("presence:huge")), presences)) {
      String topic = "presence:huge";
      JsChannel alice = js.connect(server.socketUrl(), Map.of("user", "alice")).channel(topic).trackPresence();
      assertThat(alice.join(Map.of("device", "phone")).status()).isEqualTo("ok");
      JsMessage first = alice.awaitMessage("presence_count", WAIT);
      assertThat(first.payload().toString()).as("alice's state: nobody before her").isEqualTo("{\"count\":0}");
      alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 1, WAIT);

      JsChannel bob = js.connect(server.socketUrl(), Map.of("user", "bob")).channel(topic).trackPresence();
      assertThat(bob.join(Map.of("device", "laptop")).status()).isEqualTo("ok");
      assertThat(bob.awaitMessage("presence_count", WAIT).payload().path("count").asInt()).isEqualTo(1);
      alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 2, WAIT);
      bob.leave();
      alice.awaitMessage(m -> m.event().equals("presence_count") && m.payload().path("count").asInt() == 1, WAIT);

      assertThat(alice.messages()).extracting(JsMessage::event).doesNotContain("presence_state", "presence_diff");
      assertThat(alice.events()).as("the official Presence is never synced on a count-only topic")
          .noneMatch(e -> e.path("type").stringValue().equals("presenceSync"));
      presences.forEach(Presence::close);
    }
  }

  /**
   * A client that stops reading while thousands of presences join its topic: the presence frames it cannot take
   * count against its outbound bound like any other, so it is closed (the default slow-consumer policy) instead of
   * holding server memory, and a reading client gets every presence.
   */
  @Test
  void aStalledClientIsClosedDuringAPresenceStormAndTheOthersGetEverything() throws Exception {
    List<Presence> presences = new ArrayList<>();
    SocketOptions options = SocketOptions.defaults().maxQueuedBytes(512 * 1024);
    try (TestServer server = server(options, PresenceOptions.defaults().diffWindow(Duration.ofMillis(5)), presences);
        RawWebSocket stalled = RawWebSocket.connectStalling(server.wsUrl("user=slow&vsn=2.0.0"));
        RawWebSocket reader = RawWebSocket.connect(server.wsUrl("user=reader&vsn=2.0.0"))) {
      Presence presence = presences.getFirst();
      String topic = "presence:storm";
      stalled.sendText("[\"1\",\"1\",\"" + topic + "\",\"phx_join\",{}]");
      assertThat(stalled.nextText(WAIT)).contains("\"status\":\"ok\"");
      reader.sendText("[\"1\",\"1\",\"" + topic + "\",\"phx_join\",{}]");
      assertThat(reader.nextText(WAIT)).contains("\"status\":\"ok\"");
      await().atMost(WAIT).until(() -> presence.list(topic).size() == 2);

      // 100 bulk tracks of 100 users with 2 KB metas each: ~20 MB of diffs (more than the kernel's socket
      // buffers hold for the stalled client), paced by the reader: each batch waits for the previous one's diff.
      String filler = "x".repeat(2000);
      int batches = 100;
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (int batch = 0; batch < batches; batch++) {
        Map<String, Object> metas = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
          metas.put("bot" + batch + "-" + i, Map.of("filler", filler));
        }
        presence.trackAll(topic, "bots" + batch, metas);
        String last = "bot" + batch + "-99";
        while (!seen.contains(last)) {
          String frame = reader.nextText(WAIT);
          if (frame.contains("\"presence_diff\"")) {
            Json.MAPPER.readTree(frame).get(4).path("joins").properties().forEach(e -> seen.add(e.getKey()));
          }
        }
      }
      long bots = seen.stream().filter(key -> key.startsWith("bot")).count();
      assertThat(bots).as("the reader got every user that joined").isEqualTo(batches * 100L);
      await().atMost(WAIT).until(() -> server.endpoint.telemetry().slowConsumerCloses() == 1);
      await().atMost(WAIT).until(() -> server.endpoint.telemetry().sockets() == 1);
      await().atMost(WAIT).until(() -> !presence.list(topic).containsKey("slow"));
      presences.forEach(Presence::close);
    }
  }
}
