package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The example chat's contract for tokens, origins, joins, ping, notifications, the admin API and the bench topic,
 * checked from outside with the official client. Messages, intercepts and offloaded work have their own classes.
 */
class ChatContractTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();




  private JsSocket connect(String userId) throws Exception {
    return js.connect(server.socketUrl(), Map.of("token", server.token(userId), "device", "laptop"));
  }

  private JsSocket refused(Map<String, String> params) {
    return js.connect(server.socketUrl(), JsSocketOptions.create().params(params).awaitOpen(false));
  }

  @Test
  void healthAndTokenApi() throws Exception {
    ChatServer.Response health = server.get("/health");
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("status").stringValue()).isEqualTo("ok");
    assertThat(server.token("alice")).startsWith("SFMyNTY.");
    ChatServer.Response bad = server.post("/api/token", "{\"user_id\":\"not valid!\"}", null);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.json().get("error").stringValue()).isNotBlank();
    assertThat(server.post("/api/token", "{nope", null).status()).isEqualTo(400);
    assertThat(server.post("/api/token", "{\"user_id\":\"" + "x".repeat(65) + "\"}", null).status()).isEqualTo(400);
  }

  @Test
  void missingForgedAndExpiredTokensAreRefused() throws Exception {
    assertThat(refused(Map.of()).awaitError(WAIT)).contains("403");
    String good = server.token("alice");
    String forged = good.substring(0, good.length() - 2) + (good.endsWith("A") ? "BB" : "AA");
    assertThat(refused(Map.of("token", forged)).awaitError(WAIT)).contains("403");
    String expired = ChatServer.tokenSignedAt("alice", Instant.now().minusSeconds(86_401));
    assertThat(refused(Map.of("token", expired)).awaitError(WAIT)).contains("403");
    String fresh = ChatServer.tokenSignedAt("alice", Instant.now().minusSeconds(86_000));
    assertThat(js.connect(server.socketUrl(), Map.of("token", fresh)).connectionState()).isEqualTo("open");
  }

  @Test
  void originOutsideTheAllowedListIsRefused() throws Exception {
    JsSocket evil = js.connect(server.socketUrl(), JsSocketOptions.create()
        .params(Map.of("token", server.token("alice"))).headers(Map.of("Origin", "http://evil.example")).awaitOpen(false));
    assertThat(evil.awaitError(WAIT)).contains("403");
    JsSocket page = js.connect(server.socketUrl(), JsSocketOptions.create()
        .params(Map.of("token", server.token("alice"))).headers(Map.of("Origin", "http://localhost:4000")));
    assertThat(page.connectionState()).isEqualTo("open");
  }

  @Test
  void tokenMayArriveAsTheClientsAuthToken() throws Exception {
    JsSocket socket = js.connect(server.socketUrl(), JsSocketOptions.create().authToken(server.token("bob")));
    assertThat(socket.channel("room:secret").join().status()).isEqualTo("ok");
  }

  @Test
  void secretRoomIsForAliceAndBobOnly() throws Exception {
    assertThat(connect("alice").channel("room:secret").join().status()).isEqualTo("ok");
    JsChannel carol = connect("carol").channel("room:secret");
    JsReply refused = carol.join();
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("not_a_member");
    carol.leave();
    assertThat(connect("carol").channel("room:anything-else_1").join().status()).isEqualTo("ok");
  }

  @Test
  void unmatchedTopicsAreRefused() throws Exception {
    JsChannel nowhere = connect("dave").channel("kitchen:1");
    assertThat(nowhere.join().response().get("reason").stringValue()).isEqualTo("unmatched topic");
    nowhere.leave();
  }

  @Test
  void pingEchoesJsonAndBinaryAndUnknownEventsAreErrors() throws Exception {
    JsChannel room = connect("erin").channel("room:lobby");
    room.join();
    JsReply json = room.push("ping", Map.of("hello", "world", "n", 1));
    assertThat(json.status()).isEqualTo("ok");
    assertThat(json.response().get("hello").stringValue()).isEqualTo("world");
    byte[] bytes = {1, 2, 3, (byte) 200};
    assertThat(room.pushBinary("ping", bytes).binary()).containsExactly(bytes);
    JsReply unknown = room.push("dance", Map.of());
    assertThat(unknown.status()).isEqualTo("error");
    assertThat(unknown.response().get("reason").stringValue()).isEqualTo("unknown_event");
    assertThat(room.state()).isEqualTo("joined");
  }

  @Test
  void notificationsAreForTheirOwnerAndCarryAdminBroadcasts() throws Exception {
    JsChannel mine = connect("hank").channel("notifications:hank");
    assertThat(mine.join().status()).isEqualTo("ok");
    JsChannel theirs = connect("ivy").channel("notifications:hank");
    assertThat(theirs.join().response().get("reason").stringValue()).isEqualTo("unauthorized");
    theirs.leave();
    String body = "{\"topic\":\"notifications:hank\",\"event\":\"alert\",\"payload\":{\"text\":\"hi hank\"}}";
    ChatServer.Response accepted = server.post("/api/broadcast", body, ChatServer.ADMIN);
    assertThat(accepted.status()).isEqualTo(202);
    assertThat(accepted.json().get("ok").booleanValue()).isTrue();
    assertThat(mine.awaitMessage("alert", WAIT).payload().get("text").stringValue()).isEqualTo("hi hank");
  }

  @Test
  void adminApiRequiresTheTokenAndAWellFormedBody() throws Exception {
    String body = "{\"topic\":\"room:lobby\",\"event\":\"x\",\"payload\":{}}";
    assertThat(server.post("/api/broadcast", body, null).status()).isEqualTo(401);
    assertThat(server.post("/api/broadcast", body, "wrong").status()).isEqualTo(401);
    assertThat(server.post("/api/broadcast", "{\"topic\":\"room:lobby\"}", ChatServer.ADMIN).status()).isEqualTo(400);
    assertThat(server.post("/api/broadcast", "not json", ChatServer.ADMIN).status()).isEqualTo(400);
    assertThat(server.post("/api/users/jack/disconnect", "", null).status()).isEqualTo(401);
  }

  @Test
  void disconnectClosesEverySocketOfTheUser() throws Exception {
    JsSocket phone = connect("kate");
    JsSocket laptop = connect("kate");
    JsSocket bystander = connect("liam");
    ChatServer.Response response = server.post("/api/users/kate/disconnect", "", ChatServer.ADMIN);
    assertThat(response.status()).isEqualTo(202);
    assertThat(phone.awaitClose(WAIT)).isEqualTo(1001);
    assertThat(laptop.awaitClose(WAIT)).isEqualTo(1001);
    // The disconnect closed its sockets before the 202; a heartbeat answered afterwards proves liam's stayed open.
    bystander.ping();
    bystander.assertNoClose(Duration.ZERO);
  }

  @Test
  void benchTopicEchoesAndBroadcastsWithoutPushingOnJoin() throws Exception {
    JsChannel a = connect("mia").channel("bench:1");
    JsChannel b = connect("noah").channel("bench:1");
    assertThat(a.join().response().size()).isZero();
    b.join();
    a.pushNoReply("new_msg", Map.of("body", "load"));
    JsMessage got = b.awaitMessage("new_msg", WAIT);
    assertThat(got.payload().get("body").stringValue()).isEqualTo("load");
    assertThat(got.payload().get("user_id").stringValue()).isEqualTo("mia");
    assertThat(got.payload().size()).isEqualTo(2);
    assertThat(a.pushBinary("ping", new byte[] {9, 8}).binary()).containsExactly(9, 8);
    assertThat(a.push("other", Map.of()).response().get("reason").stringValue()).isEqualTo("unknown_event");
    assertThat(a.messages()).extracting(JsMessage::event).containsOnly("phx_reply", "new_msg");
  }
}
