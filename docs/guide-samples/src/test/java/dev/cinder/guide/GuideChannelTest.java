package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Pages 02 and 03: joins, replies, pushes and replies sent later, as the official client sees RoomChannel. */
class GuideChannelTest extends GuideServerTest {
  @Test
  void staffRoomsAdmitStaffOnly() {
    JsReply refused = connect("bob").channel("room:staff-ops").join();
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("unauthorized");
    assertThat(connect("alice").channel("room:staff-ops").join().status()).isEqualTo("ok");
  }

  @Test
  void aTopicNoRouteMatchesIsRefused() {
    JsReply reply = connect("alice").channel("nowhere:1").join();
    assertThat(reply.status()).isEqualTo("error");
    assertThat(reply.response().get("reason").stringValue()).isEqualTo("unmatched topic");
  }

  @Test
  void pingIsAnsweredWithItsPayloadAndUnknownEventsWithAnError() {
    JsChannel room = connect("alice").channel("room:replies");
    room.join();
    JsReply pong = room.push("ping", Map.of("n", 7));
    assertThat(pong.status()).isEqualTo("ok");
    assertThat(pong.response().get("n").intValue()).isEqualTo(7);
    JsReply unknown = room.push("dance", Map.of());
    assertThat(unknown.status()).isEqualTo("error");
    assertThat(unknown.response().get("reason").stringValue()).isEqualTo("unknown_event");
  }

  @Test
  void aPushReachesTheSenderOnlyAsAMessageOfItsOwn() {
    JsChannel room = connect("alice").channel("room:pushes");
    room.join();
    room.pushNoReply("whoami", Map.of());
    JsMessage pushed = room.awaitMessage("you_are", WAIT);
    assertThat(pushed.payload().get("user_id").stringValue()).isEqualTo("alice");
    assertThat(pushed.payload().get("topic").stringValue()).isEqualTo("room:pushes");
    assertThat(pushed.ref()).isNull(); // a push, not a reply
  }

  @Test
  void aReplyCanComeLaterFromHandleInfo() {
    JsChannel room = connect("alice").channel("room:later");
    room.join();
    JsReply late = room.push("slow_echo", Map.of("text", "eventually"));
    assertThat(late.status()).isEqualTo("ok");
    assertThat(late.response().get("text").stringValue()).isEqualTo("eventually");
  }

  @Test
  void stopEndsTheChannelAfterItsReply() {
    JsChannel room = connect("alice").channel("room:stop");
    room.join();
    assertThat(room.push("leave_room", Map.of()).status()).isEqualTo("ok");
    room.awaitMessage("phx_close", WAIT);
    await().atMost(WAIT).until(() -> "closed".equals(room.state()));
  }
}
