package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Page 10's example test: a real server and the official client, driven from JUnit. */
class GuideRoomChannelTest {
  // region: testing-setup
  private static final Duration WAIT = Duration.ofSeconds(10);

  /** One Node process running the official phoenix client, shared by this class's tests. */
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();
  private static ChatServer server;

  @BeforeAll
  static void startServer() {
    server = ChatServer.start(0, "a secret key base of at least 20 bytes"); // port 0: any free port
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }
  // endregion

  // region: testing-test
  @Test
  void aShoutReachesEveryoneInTheRoom() {
    JsSocket aliceSocket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice")));
    JsSocket bobSocket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("bob")));
    JsChannel alice = aliceSocket.channel("room:lobby");
    JsChannel bob = bobSocket.channel("room:lobby");
    assertThat(alice.join().status()).isEqualTo("ok");
    assertThat(bob.join().status()).isEqualTo("ok");

    JsReply reply = alice.push("shout", Map.of("body", "hello"));

    assertThat(reply.status()).isEqualTo("ok");
    assertThat(bob.awaitMessage("shout", WAIT).payload().get("body").stringValue()).isEqualTo("hello");
  }
  // endregion

  // region: testing-absence
  @Test
  void typingIsNotEchoedToTheTypist() {
    JsChannel alice = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice"))).channel("room:quiet");
    alice.join();
    alice.pushNoReply("typing", Map.of());
    // No sleep to prove that nothing came: a later message is the fence. Anything sent before it is here by now.
    alice.push("shout", Map.of("body", "fence"));
    alice.awaitMessage("shout", WAIT);
    alice.assertNoMessage("typing", Duration.ZERO);
  }
  // endregion
}
