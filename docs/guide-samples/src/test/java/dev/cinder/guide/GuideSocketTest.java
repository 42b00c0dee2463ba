package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Page 01, sockets and authentication: what the official client sees of UserSocket and the socket options. */
class GuideSocketTest extends GuideServerTest {
  @Test
  void aValidTokenParamConnectsAndTheUserIdReachesTheChannel() {
    JsSocket socket = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("alice")));
    JsReply reply = socket.join("room:lobby", Map.of());
    assertThat(reply.status()).isEqualTo("ok");
    assertThat(reply.response().get("user_id").stringValue()).isEqualTo("alice");
  }

  @Test
  void theAuthTokenOptionConnectsToo() {
    JsSocket socket = js.connect(server.socketUrl(),
        JsSocketOptions.create().authToken(server.tokenFor("bob")));
    assertThat(socket.join("room:lobby", Map.of()).response().get("user_id").stringValue()).isEqualTo("bob");
  }

  @Test
  void noTokenOrAForeignOneIsRefusedWith403() {
    PhoenixToken otherSecret = PhoenixToken.forSecret("another secret key base, 20+ bytes");
    List<Map<String, String>> refused = List.of(
        Map.of(), Map.of("token", "garbage"), Map.of("token", UserSocket.tokenFor(otherSecret, "mallory")));
    for (Map<String, String> params : refused) {
      JsSocket socket = js.connect(server.socketUrl(), JsSocketOptions.create().params(params).awaitOpen(false));
      assertThat(socket.awaitError(WAIT)).as("params " + params).contains("403");
      socket.disconnect();
    }
  }

  @Test
  void checkOriginLetsListedBrowserOriginsInAndRefusesOthers() {
    String token = server.tokenFor("alice");
    for (String origin : new String[] {"https://chat.example.com", "http://localhost:3000"}) {
      JsSocket socket = js.connect(server.socketUrl(),
          JsSocketOptions.create().params(Map.of("token", token)).headers(Map.of("Origin", origin)));
      assertThat(socket.join("room:lobby", Map.of()).status()).as(origin).isEqualTo("ok");
    }
    JsSocket refused = js.connect(server.socketUrl(), JsSocketOptions.create().params(Map.of("token", token))
        .headers(Map.of("Origin", "https://evil.example")).awaitOpen(false));
    assertThat(refused.awaitError(WAIT)).contains("403");
    refused.disconnect();
  }

  @Test
  void disconnectingAUserClosesEachOfItsSocketsAndNoOneElses() {
    JsSocket phone = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("dave")));
    JsSocket laptop = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("dave")));
    JsSocket other = js.connect(server.socketUrl(), Map.of("token", server.tokenFor("erin")));
    server.disconnect("dave");
    assertThat(phone.awaitClose(WAIT)).isEqualTo(1001);
    assertThat(laptop.awaitClose(WAIT)).isEqualTo(1001);
    other.ping(); // answered after the broadcast that closed dave's sockets: erin's stayed open
    other.assertNoClose(Duration.ZERO);
    phone.awaitOpen(WAIT); // the client reconnects, with its token, as after any close it did not ask for
  }
}
