package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.offload.Offloader;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJsExtension;
import dev.cinder.testkit.RedisServer;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** Page 08: two nodes started by ClusterSetup on a real Redis share broadcasts and presence. */
class GuideClusterTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  private static final PhoenixToken tokens = PhoenixToken.forSecret(GuideSecrets.SECRET_KEY_BASE);
  private static RedisServer redis;
  private static Offloader jobs;
  private static ClusterSetup nodeA;
  private static ClusterSetup nodeB;

  @BeforeAll
  static void start() {
    redis = RedisServer.launch();
    jobs = Offloader.builder().build();
    nodeA = ClusterSetup.start(redis.url(), "node-a", 0, GuideSecrets.SECRET_KEY_BASE,
        presence -> new UserSocket(tokens, presence, jobs));
    nodeB = ClusterSetup.start(redis.url(), "node-b", 0, GuideSecrets.SECRET_KEY_BASE,
        presence -> new UserSocket(tokens, presence, jobs));
  }

  @AfterAll
  static void stop() {
    nodeA.close();
    nodeB.close();
    jobs.close();
    redis.close();
  }

  private static String url(ClusterSetup node) {
    return "ws://127.0.0.1:" + node.endpoint().port() + "/socket";
  }

  private static Set<String> keys(JsonNode state) {
    Set<String> keys = new TreeSet<>();
    state.propertyNames().forEach(keys::add);
    return keys;
  }

  @Test
  void aWebSocketClientOnOneNodeAndALongPollClientOnTheOtherShareARoom() {
    JsChannel alice = js.connect(url(nodeA), Map.of("token", UserSocket.tokenFor(tokens, "alice")))
        .channel("room:cluster").trackPresence();
    JsChannel bob = js.connect(url(nodeB), JsSocketOptions.create()
            .params(Map.of("token", UserSocket.tokenFor(tokens, "bob"))).transport(JsTransport.LONGPOLL))
        .channel("room:cluster").trackPresence();
    assertThat(alice.join().status()).isEqualTo("ok");
    assertThat(bob.join().status()).isEqualTo("ok");
    alice.awaitPresenceState(s -> keys(s).equals(Set.of("alice", "bob")), WAIT);
    bob.awaitPresenceState(s -> keys(s).equals(Set.of("alice", "bob")), WAIT);

    alice.push("shout", Map.of("body", "across nodes"));
    assertThat(bob.awaitMessage("shout", WAIT).payload().get("body").stringValue()).isEqualTo("across nodes");
    bob.push("shout", Map.of("body", "and back"));
    assertThat(alice.awaitMessage(m -> m.event().equals("shout") && m.payload().get("from").stringValue().equals("bob"), WAIT)
        .payload().get("body").stringValue()).isEqualTo("and back");
  }
}
