package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.PubSub;
import dev.cinder.internal.Json;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Presence for large topics: the shared {@code presence_state}, bulk tracking and count-only topics, through real
 * channels ({@link PresenceRoom}) on in-memory connections.
 */
class PresenceAtScaleTest {
  private static final String TOPIC = "room:big";

  private final PubSub pubSub = new LocalPubSub();
  private final List<Presence> started = new ArrayList<>();

  @AfterEach
  void close() {
    started.forEach(Presence::close);
  }

  private Presence start(PresenceOptions options) {
    Presence presence = Presence.create(pubSub, "n1", options);
    started.add(presence);
    return presence;
  }

  /** Tracks a fence and waits until every client has its diff: every earlier diff has arrived. */
  private static void fence(Presence presence, MemoryClient... clients) {
    String ref = presence.track(TOPIC, new Object(), "fence", Map.of());
    for (MemoryClient client : clients) {
      client.await(TOPIC, "presence_diff", diff -> diff.get(4).path("joins").path("fence").toString().contains(ref));
    }
  }

  /** The payload of a frame's text, as sent: what follows the event name. */
  private static String payloadText(String frame) {
    String marker = "\"presence_state\",";
    return frame.substring(frame.indexOf(marker) + marker.length(), frame.length() - 1);
  }

  @Test
  void theSharedStateIsTheListEncodedAndServesUntilADiffGoesOut() {
    Presence presence = start(PresenceOptions.defaults().diffWindow(Duration.ZERO));
    DiffRecorder recorder = new DiffRecorder(pubSub, TOPIC);
    for (int i = 0; i < 50; i++) {
      presence.track(TOPIC, "owner" + i, "user" + (i % 20), Map.of("n", i, "name", "\u00e9\"quoted\""));
    }
    org.awaitility.Awaitility.await().until(() -> recorder.client.ordered().equals(ClientPresence.ordered(presence.list(TOPIC))));

    byte[] state = dev.cinder.internal.serializer.EncodedJson.bytesOf(presence.state(TOPIC));
    assertThat(new String(state, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(Json.MAPPER.writeValueAsString(presence.list(TOPIC)));
    assertThat(presence.state(TOPIC)).as("no diff went out meanwhile: the same bytes").isSameAs(presence.state(TOPIC));
    assertThat(presence.state("room:nobody").toString()).isEqualTo("{}");
  }

  @Test
  void joinersWithinOneDiffWindowGetByteIdenticalStatesAndSeeWhatTheServerLists() {
    // The first change goes out at once; the joins that follow wait for the window, so they share one state.
    Presence presence = start(PresenceOptions.defaults().diffWindow(Duration.ofSeconds(5)));
    SocketMount mount = PresenceRoom.mount(pubSub, presence);
    presence.track(TOPIC, "early", "early", Map.of("status", "online"));
    List<MemoryClient> clients = new ArrayList<>();
    for (int i = 0; i <= 10; i++) {
      clients.add(new MemoryClient(mount).joined(TOPIC, Map.of("user", "u" + i)));
    }
    List<String> states = new ArrayList<>();
    for (MemoryClient client : clients) {
      String frame = client.texts.stream().filter(t -> t.contains("\"presence_state\"")).findFirst().orElseThrow();
      states.add(payloadText(frame));
    }
    assertThat(states).as("one encoding for every joiner of the window").containsOnly(states.getFirst());
    assertThat(Json.MAPPER.readTree(states.getFirst()).has("early")).isTrue();

    MemoryClient[] all = clients.toArray(MemoryClient[]::new);
    fence(presence, all);
    for (MemoryClient client : clients) {
      assertThat(client.presence(TOPIC).ordered()).as("what the client shows")
          .isEqualTo(ClientPresence.ordered(presence.list(TOPIC)));
    }
    assertThat(presence.list(TOPIC)).hasSize(13); // early, u0..u10, fence
  }

  @Test
  void bulkTrackSendsOneDiffWithEveryKey() {
    Presence presence = start(PresenceOptions.defaults().diffWindow(Duration.ZERO));
    DiffRecorder recorder = new DiffRecorder(pubSub, TOPIC);
    Map<String, Object> metas = new LinkedHashMap<>();
    for (int i = 0; i < 200; i++) {
      metas.put("user" + i, Map.of("i", i));
    }
    Map<String, String> refs = presence.trackAll(TOPIC, "bot", metas);
    assertThat(refs).hasSize(200).containsOnlyKeys(metas.keySet());
    String fenceRef = presence.track(TOPIC, "fence", "fence", Map.of()); // its diff comes after every earlier one
    org.awaitility.Awaitility.await().until(() -> recorder.diffs.stream()
        .anyMatch(d -> d.path("joins").path("fence").toString().contains(fenceRef)));

    List<JsonNode> withBots = recorder.diffs.stream().filter(d -> d.path("joins").has("user0")).toList();
    assertThat(withBots).as("one diff carries the bulk track").hasSize(1);
    JsonNode diff = withBots.getFirst();
    for (String key : metas.keySet()) {
      assertThat(diff.path("joins").has(key)).as(key).isTrue();
    }
    assertThat(diff.path("joins").path("user7").path("metas").get(0).path("phx_ref").stringValue())
        .isEqualTo(refs.get("user7"));
    assertThat(recorder.diffs.stream().filter(d -> d.path("joins").has("user199")).count()).isEqualTo(1);
    assertThat(presence.list(TOPIC)).hasSize(201);

    assertThatThrownBy(() -> presence.trackAll(TOPIC, "bot", Map.of("new", Map.of(), "user3", Map.of())))
        .isInstanceOf(PresenceException.class);
    assertThat(presence.list(TOPIC)).as("all or nothing").doesNotContainKey("new");
    presence.untrackAll("bot");
    assertThat(presence.list(TOPIC)).containsOnlyKeys("fence");
  }

  @Test
  void aCountOnlyTopicSendsCountsNotLists() {
    Presence presence = start(PresenceOptions.defaults().diffWindow(Duration.ZERO)
        .countOnly(topic -> topic.startsWith("room:huge")));
    SocketMount mount = PresenceRoom.mount(pubSub, presence);
    String huge = "room:huge";
    MemoryClient a = new MemoryClient(mount);
    a.send(huge, "1", "phx_join", Map.of("user", "a"));
    assertThat(a.first(huge, "presence_count").get(4).toString()).as("a's state: nobody before it").isEqualTo("{\"count\":0}");
    a.await(huge, "presence_count", f -> f.get(4).path("count").asInt() == 1);
    MemoryClient b = new MemoryClient(mount);
    b.send(huge, "1", "phx_join", Map.of("user", "b"));
    assertThat(b.first(huge, "presence_count").get(4).path("count").asInt()).isEqualTo(1);
    a.await(huge, "presence_count", f -> f.get(4).path("count").asInt() == 2);
    b.await(huge, "presence_count", f -> f.get(4).path("count").asInt() == 2);
    // a second device of user a: still two users; then b leaves: one user, on two devices
    presence.track(huge, "a-phone", "a", Map.of());
    b.leave(huge);
    org.awaitility.Awaitility.await().until(() -> a.payloads(huge, "presence_count").getLast().path("count").asInt() == 1);
    assertThat(presence.list(huge).get("a").get("metas")).asList().hasSize(2);
    assertThat(a.payloads(huge, "presence_state")).isEmpty();
    assertThat(a.payloads(huge, "presence_diff")).as("no lists on a count-only topic").isEmpty();

    MemoryClient c = new MemoryClient(mount).joined(TOPIC, Map.of("user", "c"));
    assertThat(c.first(TOPIC, "presence_state").get(4).isObject()).as("other topics keep lists").isTrue();
    c.first(TOPIC, "presence_diff");
  }
}
