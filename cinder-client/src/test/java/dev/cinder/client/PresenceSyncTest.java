package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Presence.syncState and syncDiff on a table of cases, each also run through phoenix.js's own Presence under Node:
 * the callbacks (in order, with their arguments) and the resulting list must be the same.
 */
class PresenceSyncTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** Each case: a list of steps, {"state": {...}} or {"diff": {"joins": {...}, "leaves": {...}}}. */
  private static final String CASES = """
      [
       [{"state": {"b": {"metas": [{"phx_ref": "1", "d": "phone"}]}, "a": {"metas": [{"phx_ref": "2"}]},
                   "10": {"metas": [{"phx_ref": "3"}]}, "2": {"metas": [{"phx_ref": "4"}]}}}],
       [{"state": {"u1": {"metas": [{"phx_ref": "1"}, {"phx_ref": "2"}]}, "u2": {"metas": [{"phx_ref": "3"}]}}},
        {"state": {"u1": {"metas": [{"phx_ref": "2"}, {"phx_ref": "5"}]}, "u3": {"metas": [{"phx_ref": "6"}]}}}],
       [{"state": {"u1": {"metas": [{"phx_ref": "1"}]}}},
        {"diff": {"joins": {"u1": {"metas": [{"phx_ref": "2", "d": "laptop"}]}, "u2": {"metas": [{"phx_ref": "3"}]}},
                  "leaves": {}}},
        {"diff": {"joins": {}, "leaves": {"u1": {"metas": [{"phx_ref": "1"}]}}}},
        {"diff": {"joins": {},
                  "leaves": {"u2": {"metas": [{"phx_ref": "3"}]}, "nobody": {"metas": [{"phx_ref": "9"}]}}}}],
       [{"state": {"alice": {"metas": [{"status": "online", "phx_ref": "A1"}]}}},
        {"diff": {"joins": {"alice": {"metas": [{"status": "away", "phx_ref": "A2", "phx_ref_prev": "A1"}]}},
                  "leaves": {"alice": {"metas": [{"status": "online", "phx_ref": "A1"}]}}}}],
       [{"state": {}},
        {"diff": {"joins": {"bob": {"metas": [{"phx_ref": "B1"}]}},
                  "leaves": {"bob": {"metas": [{"phx_ref": "B1"}]}}}}],
       [{"state": {"k": {"metas": [{"phx_ref": "1"}], "user": {"name": "kay"}}}},
        {"diff": {"joins": {"k": {"metas": [{"phx_ref": "2"}], "user": {"name": "kay2"}}}, "leaves": {}}},
        {"diff": {"joins": {"k": {"metas": [{"phx_ref": "2", "again": true}]}}, "leaves": {}}}],
       [{"state": {"z": {"metas": [{"phx_ref": "1"}]}, "7": {"metas": [{"phx_ref": "2"}]}}},
        {"diff": {"joins": {"x": {"metas": [{"phx_ref": "3"}]}, "3": {"metas": [{"phx_ref": "4"}]}}, "leaves": {}}},
        {"state": {"x": {"metas": [{"phx_ref": "3"}]}, "z": {"metas": [{"phx_ref": "1"}]}}}]
      ]
      """;

  private static final String NODE_SCRIPT = """
      import { Presence } from "PHOENIX";
      import { readFileSync } from "node:fs";
      const cases = JSON.parse(readFileSync(process.argv[2], "utf8"));
      const out = cases.map((steps) => {
        const events = [];
        const onJoin = (key, current, joined) => events.push(["join", key, current ?? null, joined]);
        const onLeave = (key, current, left) => events.push(["leave", key, current, left]);
        let state = {};
        for (const step of steps) {
          state = step.state !== undefined
            ? Presence.syncState(state, step.state, onJoin, onLeave)
            : Presence.syncDiff(state, step.diff, onJoin, onLeave);
          // callbacks see live objects: snapshot them as JSON now, as the Java side does
          for (let i = 0; i < events.length; i++) { events[i] = JSON.parse(JSON.stringify(events[i])); }
        }
        return { events, list: Presence.list(state, (key, p) => [key, p]) };
      });
      process.stdout.write(JSON.stringify(out));
      """;

  @Test
  void matchesPhoenixJs(@TempDir Path dir) throws Exception {
    JsonNode cases = JSON.readTree(CASES);
    JsonNode expected = runPhoenixJs(dir, cases);
    ArrayNode actual = JSON.createArrayNode();
    for (JsonNode steps : cases) {
      actual.add(runJava(steps));
    }
    assertThat(actual.size()).isEqualTo(expected.size());
    for (int i = 0; i < actual.size(); i++) {
      assertThat(actual.get(i)).as("case %d", i).isEqualTo(expected.get(i));
    }
  }

  @Test
  void theTableCoversWhatMatters() throws Exception {
    JsonNode first = runJava(JSON.readTree(CASES).get(0));
    // JavaScript's key order: integer-like keys ascending, then the others as inserted
    List<String> keys = new ArrayList<>();
    first.get("list").forEach(entry -> keys.add(entry.get(0).asString()));
    assertThat(keys).containsExactly("2", "10", "b", "a");

    JsonNode update = runJava(JSON.readTree(CASES).get(3));
    // an update (join of the new meta, leave of the old) never shows the key absent
    assertThat(update.get("list").get(0).get(1).get("metas").toString())
        .isEqualTo("[{\"status\":\"away\",\"phx_ref\":\"A2\",\"phx_ref_prev\":\"A1\"}]");
    assertThat(update.get("events").get(2).get(2).get("metas").size()).isEqualTo(1);
  }

  @Test
  void syncIsPure() {
    Map<String, PresenceEntry> state = Presence.entries(JSON.readTree("{\"u\":{\"metas\":[{\"phx_ref\":\"1\"}]}}"));
    PresenceDiff diff =
        Presence.diff(JSON.readTree("{\"joins\":{},\"leaves\":{\"u\":{\"metas\":[{\"phx_ref\":\"1\"}]}}}"));
    Map<String, PresenceEntry> after = Presence.syncDiff(state, diff, null, null);
    assertThat(after).isEmpty();
    assertThat(state).containsOnlyKeys("u");
    assertThat(state.get("u").metas()).hasSize(1);
  }

  private static JsonNode runJava(JsonNode steps) {
    ArrayNode events = JSON.createArrayNode();
    Presence.JoinCallback onJoin = (key, current, joined) -> events.add(JSON.createArrayNode().add("join").add(key)
        .add(current == null ? null : current.value()).add(joined.value()));
    Presence.LeaveCallback onLeave = (key, current, left) -> events.add(JSON.createArrayNode().add("leave").add(key)
        .add(current.value()).add(left.value()));
    Map<String, PresenceEntry> state = Map.of();
    for (JsonNode step : steps) {
      state = step.has("state")
          ? Presence.syncState(state, Presence.entries(step.get("state")), onJoin, onLeave)
          : Presence.syncDiff(state, Presence.diff(step.get("diff")), onJoin, onLeave);
    }
    ArrayNode list = JSON.createArrayNode();
    state.forEach((key, entry) -> list.add(JSON.createArrayNode().add(key).add(entry.value())));
    ObjectNode result = JSON.createObjectNode();
    result.set("events", events);
    result.set("list", list);
    return result;
  }

  private static JsonNode runPhoenixJs(Path dir, JsonNode cases) throws IOException, InterruptedException {
    Path phoenix = phoenixModule();
    Path script = dir.resolve("presence.mjs");
    Files.writeString(script, NODE_SCRIPT.replace("PHOENIX", phoenix.toUri().toString()));
    Path input = dir.resolve("cases.json");
    Files.writeString(input, cases.toString());
    Process node = new ProcessBuilder(System.getProperty("cinder.testkit.node", "node"), script.toString(),
        input.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try {
      byte[] output = node.getInputStream().readAllBytes();
      assertThat(node.waitFor(30, TimeUnit.SECONDS)).as("node finished").isTrue();
      assertThat(node.exitValue()).as("node exit code").isZero();
      return JSON.readTree(new String(output, StandardCharsets.UTF_8));
    } finally {
      node.destroyForcibly();
    }
  }

  /** phoenix.js as the testkit installs it; fails (never skips) when it is not installed. */
  private static Path phoenixModule() {
    Path relative = Path.of("cinder-testkit", "js", "node_modules", "phoenix", "priv", "static", "phoenix.mjs");
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(relative))) {
        return dir.resolve(relative);
      }
    }
    throw new IllegalStateException("phoenix.js is not installed: run `npm ci --prefix cinder-testkit/js` "
        + "(or `mvn -pl cinder-testkit generate-resources`)");
  }
}
