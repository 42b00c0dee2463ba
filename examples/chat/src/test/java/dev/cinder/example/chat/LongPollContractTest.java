package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * The example over long-poll ({@code /socket/longpoll}), driven by the official client's own {@code LongPoll}
 * transport: joins with history and presence, messages both ways between a long-poll and a WebSocket user, the
 * JSON ping, presence seen from a WebSocket, and the admin disconnect ending a long-poll session. (Binary pushes
 * are left out: the long-poll wire carries server messages as JSON strings.)
 */
class LongPollContractTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();



  private static JsSocket longPoll(String userId, String device) throws Exception {
    JsSocket socket = js.connect(server.socketUrl(), JsSocketOptions.create()
        .params(Map.of("token", server.token(userId), "device", device)).transport(JsTransport.LONGPOLL));
    assertThat(socket.transport()).as(userId + "'s transport").isEqualTo("LongPoll");
    return socket;
  }

  private static JsSocket webSocket(String userId, String device) throws Exception {
    JsSocket socket = js.connect(server.socketUrl(), Map.of("token", server.token(userId), "device", device));
    assertThat(socket.transport()).as(userId + "'s transport").isEqualTo("WebSocket");
    return socket;
  }

  private static JsChannel join(JsSocket socket, String topic) {
    JsChannel channel = socket.channel(topic).trackPresence();
    JsReply reply = channel.join();
    assertThat(reply.status()).as("join " + topic + " on " + socket).isEqualTo("ok");
    assertThat(reply.response().size()).isZero();
    return channel;
  }

  private static JsMessage newMsgFrom(JsChannel channel, String userId) {
    return channel.awaitMessage(m -> m.event().equals("new_msg") && m.payload().path("user_id").stringValue().equals(userId), WAIT);
  }

  @Test
  void aLongPollJoinGetsHistoryThenPresenceAndSecretRoomsStayClosed() throws Exception {
    JsChannel writer = join(webSocket("lp-writer", "laptop"), "room:lp-history");
    writer.pushNoReply("new_msg", Map.of("body", "before the long-poll user came"));
    newMsgFrom(writer, "lp-writer");

    JsChannel reader = join(longPoll("lp-reader", "old-proxy"), "room:lp-history");
    JsonNode history = reader.awaitMessage("message_history", WAIT).payload().get("messages");
    assertThat(history).extracting(m -> m.get("body").stringValue()).containsExactly("before the long-poll user came");
    reader.awaitMessage("presence_state", WAIT);
    reader.awaitMessage(m -> m.event().equals("user_joined") && m.payload().path("user_id").stringValue().equals("lp-reader"), WAIT);
    assertThat(reader.messages()).extracting(JsMessage::event)
        .containsSubsequence("phx_reply", "message_history", "presence_state", "user_joined");

    JsChannel secret = longPoll("carol", "x").channel("room:secret");
    assertThat(secret.join().response().path("reason").stringValue()).isEqualTo("not_a_member");
  }

  @Test
  void messagesGoBothWaysBetweenLongPollAndWebSocket() throws Exception {
    JsChannel lp = join(longPoll("lp-anna", "old-proxy"), "room:lp-chat");
    JsChannel ws = join(webSocket("ws-ben", "laptop"), "room:lp-chat");

    lp.pushNoReply("new_msg", Map.of("body", "from <i>long-poll</i>"));
    JsMessage atWs = newMsgFrom(ws, "lp-anna");
    assertThat(atWs.payload().get("body").stringValue()).isEqualTo("from long-poll");
    assertThat(atWs.payload().get("is_own_message").booleanValue()).isFalse();
    assertThat(newMsgFrom(lp, "lp-anna").payload().get("is_own_message").booleanValue()).isTrue();

    ws.pushNoReply("new_msg", Map.of("body", "from WebSocket"));
    JsMessage atLp = newMsgFrom(lp, "ws-ben");
    assertThat(atLp.payload().get("body").stringValue()).isEqualTo("from WebSocket");
    assertThat(atLp.payload().get("is_own_message").booleanValue()).isFalse();
    assertThat(atLp.payload().get("id")).isEqualTo(newMsgFrom(ws, "ws-ben").payload().get("id"));

    ws.pushNoReply("typing", Map.of("typing", true));
    JsMessage typing = lp.awaitMessage("user_typing", WAIT);
    assertThat(typing.payload().get("user_id").stringValue()).isEqualTo("ws-ben");
    assertThat(typing.payload().get("typing").booleanValue()).isTrue();
  }

  @Test
  void pingEchoesJsonOverLongPollAndUnknownEventsAreErrors() throws Exception {
    JsChannel room = join(longPoll("lp-erin", "old-proxy"), "room:lp-ping");
    JsReply json = room.push("ping", Map.of("hello", "long-poll", "n", List.of(1, 2)));
    assertThat(json.status()).isEqualTo("ok");
    assertThat(json.response().get("hello").stringValue()).isEqualTo("long-poll");
    assertThat(json.response().get("n")).hasSize(2);
    JsReply unknown = room.push("dance", Map.of());
    assertThat(unknown.status()).isEqualTo("error");
    assertThat(unknown.response().get("reason").stringValue()).isEqualTo("unknown_event");
    assertThat(room.state()).isEqualTo("joined");
  }

  @Test
  void aWebSocketUserSeesTheLongPollUserComeAndGo() throws Exception {
    JsChannel ws = join(webSocket("ws-gus", "laptop"), "room:lp-presence");
    JsSocket lpSocket = longPoll("lp-hana", "old-proxy");
    JsChannel lp = join(lpSocket, "room:lp-presence");
    JsonNode seen = ws.awaitPresenceState(s -> s.has("lp-hana") && s.has("ws-gus"), WAIT);
    JsonNode meta = seen.path("lp-hana").path("metas").get(0);
    assertThat(meta.path("device").stringValue()).isEqualTo("old-proxy");
    assertThat(meta.path("status").stringValue()).isEqualTo("online");
    lp.awaitPresenceState(s -> s.has("lp-hana") && s.has("ws-gus"), WAIT);

    assertThat(lp.push("update_status", Map.of("status", "away")).status()).isEqualTo("ok");
    ws.awaitPresenceState(s -> s.path("lp-hana").path("metas").path(0).path("status").asString().equals("away"), WAIT);

    // (A long-poll client that just stops polling is only noticed when its session expires, 15 to 30 s later; a
    // leave is a message like any other.) Awaits consume the first match, and the list from before lp-hana came
    // would match: look only at what follows.
    int before = ws.events().size();
    assertThat(lp.leave().status()).isEqualTo("ok");
    await().atMost(WAIT).until(() -> syncsAfter(ws, before).anyMatch(s -> s.has("ws-gus") && !s.has("lp-hana")));
  }

  /** The presence states of the channel's syncs after its first {@code skip} events. */
  private static Stream<JsonNode> syncsAfter(JsChannel channel, int skip) {
    return channel.events().stream().skip(skip).filter(e -> e.path("type").asString().equals("presenceSync")).map(e -> e.path("state"));
  }

  @Test
  void theAdminDisconnectEndsALongPollSessionAndTheClientComesBack() throws Exception {
    JsChannel watcher = join(webSocket("ws-mona", "laptop"), "room:lp-disconnect");
    JsSocket kate = longPoll("lp-kate", "old-proxy");
    JsChannel room = join(kate, "room:lp-disconnect");
    JsSocket bystander = longPoll("lp-liam", "old-proxy");
    String joinRef = room.joinRef();
    String firstRef = watcher.awaitPresenceState(s -> s.has("lp-kate"), WAIT).path("lp-kate").path("metas").get(0).path("phx_ref").asString();
    int before = watcher.events().size();

    assertThat(server.post("/api/users/lp-kate/disconnect", "", ChatServer.ADMIN).status()).isEqualTo(202);
    // The held poll is answered 410 for a session it knew: the official client's "session gone".
    assertThat(kate.awaitClose(WAIT)).isEqualTo(3410);
    kate.awaitOpen(WAIT);
    await().atMost(WAIT).until(() -> "joined".equals(room.state()) && !joinRef.equals(room.joinRef()));
    assertThat(room.push("ping", Map.of("back", true)).response().get("back").booleanValue()).isTrue();
    // The disconnect ended its sessions before the 202; a heartbeat answered afterwards proves this one lives.
    bystander.ping();
    bystander.assertNoClose(Duration.ZERO);
    // The ended session's presence is gone: the watcher sees kate's new meta alone, not beside the old one.
    await().atMost(WAIT).until(() -> syncsAfter(watcher, before).anyMatch(s -> s.path("lp-kate").path("metas").size() == 1
        && !s.path("lp-kate").path("metas").get(0).path("phx_ref").asString().equals(firstRef)));
  }
}
