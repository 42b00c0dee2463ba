package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.cinder.PubSub;
import dev.cinder.internal.Json;
import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** One node: the wire shapes of presence_state and presence_diff and the API's rules. */
class PresenceTest {
  private static final String TOPIC = "room:lobby";

  record Device(String online_at, String device) {}

  private final PubSub pubSub = new LocalPubSub();
  private final DiffRecorder recorder = new DiffRecorder(pubSub, TOPIC);
  private Presence presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO));

  @AfterEach
  void close() {
    presence.close();
  }

  private static Map<String, Object> onlineAt(String at) {
    Map<String, Object> meta = new LinkedHashMap<>();
    meta.put("online_at", at);
    return meta;
  }

  private static String json(Object value) {
    return Json.MAPPER.writeValueAsString(value);
  }

  @Test
  void listIsThePresenceStatePayload() {
    String r1 = presence.track(TOPIC, "phone", "42", new Device("1700000000", "phone"));
    String r2 = presence.track(TOPIC, "laptop", "42", new Device("1700000100", "laptop"));
    String r3 = presence.track(TOPIC, "pid-3", "77", onlineAt("1700000200"));

    assertThat(json(presence.list(TOPIC))).isEqualTo("""
        {"42":{"metas":[{"online_at":"1700000000","device":"phone","phx_ref":"%s"},\
        {"online_at":"1700000100","device":"laptop","phx_ref":"%s"}]},\
        "77":{"metas":[{"online_at":"1700000200","phx_ref":"%s"}]}}""".formatted(r1, r2, r3));
    assertThat(presence.list("room:empty")).isEmpty();
  }

  @Test
  void phxRefsAreUniqueSixteenCharacterBase64url() {
    Set<String> refs = new HashSet<>();
    for (int i = 0; i < 2000; i++) {
      refs.add(presence.track(TOPIC, "p" + i, "u", Map.of()));
    }
    assertThat(refs).hasSize(2000).allMatch(ref -> ref.matches("[A-Za-z0-9_-]{16}"));
  }

  @Test
  void aTrackIsBroadcastAsAJoinDiff() {
    String ref = presence.track(TOPIC, "pid", "77", onlineAt("1700000200"));
    await().until(() -> recorder.diffs.size() == 1);
    assertThat(json(recorder.diffs.getFirst())).isEqualTo("""
        {"joins":{"77":{"metas":[{"online_at":"1700000200","phx_ref":"%s"}]}},"leaves":{}}""".formatted(ref));
  }

  @Test
  void anUpdateIsOneDiffWithALeaveAndAJoinOfTheSameKey() {
    Map<String, Object> online = new LinkedHashMap<>(Map.of("status", "online"));
    String old = presence.track(TOPIC, "pid", "42", online);
    await().until(() -> recorder.diffs.size() == 1);

    String ref = presence.update(TOPIC, "pid", "42", Map.of("status", "away"));
    await().until(() -> recorder.diffs.size() == 2);
    assertThat(json(recorder.diffs.get(1))).isEqualTo("""
        {"joins":{"42":{"metas":[{"status":"away","phx_ref":"%s","phx_ref_prev":"%s"}]}},\
        "leaves":{"42":{"metas":[{"status":"online","phx_ref":"%s"}]}}}""".formatted(ref, old, old));
    assertThat(json(presence.list(TOPIC))).isEqualTo("""
        {"42":{"metas":[{"status":"away","phx_ref":"%s","phx_ref_prev":"%s"}]}}""".formatted(ref, old));
    assertThat(online).as("the caller's map is not changed").containsOnlyKeys("status");
  }

  @Test
  void anUpdateFunctionSeesTheAppFieldsOnly() {
    presence.track(TOPIC, "pid", "42", Map.of("status", "online", "device", "phone"));
    presence.update(TOPIC, "pid", "42", meta -> {
      assertThat(meta).containsOnlyKeys("status", "device");
      Map<String, Object> next = new HashMap<>(meta);
      next.put("status", "away");
      return next;
    });
    Map<String, Object> meta = metas(TOPIC, "42").getFirst();
    assertThat(meta).containsEntry("status", "away").containsEntry("device", "phone")
        .containsKeys("phx_ref", "phx_ref_prev");
  }

  @Test
  void thePairIsTrackedOnceAndOnlyATrackedPairUpdates() {
    presence.track(TOPIC, "pid", "42", Map.of());
    assertThatThrownBy(() -> presence.track(TOPIC, "pid", "42", Map.of()))
        .isInstanceOfSatisfying(PresenceException.class,
            e -> assertThat(e.reason()).isEqualTo(PresenceException.Reason.ALREADY_TRACKED));
    presence.track(TOPIC, "pid", "43", Map.of());
    presence.track("room:other", "pid", "42", Map.of());
    assertThatThrownBy(() -> presence.update(TOPIC, "pid", "44", Map.of()))
        .isInstanceOfSatisfying(PresenceException.class,
            e -> assertThat(e.reason()).isEqualTo(PresenceException.Reason.NOT_TRACKED));
  }

  @Test
  void untrackAndUntrackAll() {
    presence.track(TOPIC, "pid", "42", Map.of());
    presence.track(TOPIC, "pid", "43", Map.of());
    presence.track("room:other", "pid", "42", Map.of());
    presence.track(TOPIC, "other", "42", Map.of());

    assertThat(presence.untrack(TOPIC, "pid", "43")).isTrue();
    assertThat(presence.untrack(TOPIC, "pid", "43")).isFalse();
    presence.untrackAll("pid");
    assertThat(presence.list("room:other")).isEmpty();
    assertThat(metas(TOPIC, "42")).hasSize(1);
    await().untilAsserted(() -> assertThat(recorder.client.metas()).isEqualTo(ClientPresence.normalize(presence.list(TOPIC))));
  }

  @Test
  void fetchEnrichesListsAndBothHalvesOfDiffs() {
    presence.close();
    presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO)
        .fetch((topic, presences) -> {
          presences.forEach((key, p) -> p.put("user", Map.of("name", "user " + key)));
          return presences;
        }));
    String ref = presence.track(TOPIC, "pid", "42", Map.of());
    await().until(() -> recorder.diffs.size() == 1); // else join and leave merge away into nothing
    presence.untrack(TOPIC, "pid", "42");
    presence.track(TOPIC, "pid", "42", Map.of());

    assertThat(json(presence.list(TOPIC))).contains("\"user\":{\"name\":\"user 42\"}");
    await().until(() -> recorder.diffs.stream().anyMatch(d -> d.get("leaves").has("42")));
    for (JsonNode diff : recorder.diffs) {
      for (JsonNode half : List.of(diff.get("joins"), diff.get("leaves"))) {
        half.properties().forEach(e -> assertThat(e.getValue().get("user").get("name").stringValue())
            .isEqualTo("user 42"));
      }
    }
    assertThat(ref).isNotNull();
  }

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> metas(String topic, String key) {
    return (List<Map<String, Object>>) presence.list(topic).get(key).get("metas");
  }
}
