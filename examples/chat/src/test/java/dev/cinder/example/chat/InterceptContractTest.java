package dev.cinder.example.chat;

import static dev.cinder.example.chat.MessagesContractTest.WAIT;
import static dev.cinder.example.chat.MessagesContractTest.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-recipient copies ({@code is_own_message}, {@code relationship}), blocks across rooms, and typing. */
class InterceptContractTest {
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();




  private static String userJoinedRelationship(JsChannel channel, String userId) {
    return channel.awaitMessage(m -> m.event().equals("user_joined") && m.payload().get("user_id").stringValue().equals(userId),
        WAIT).payload().get("relationship").stringValue();
  }

  private static JsMessage newMsgFrom(JsChannel channel, String author) {
    return channel.awaitMessage(m -> m.event().equals("new_msg") && m.payload().get("user_id").stringValue().equals(author), WAIT);
  }

  @Test
  void twoUsersEachCopyTellsWhetherItIsTheirOwn() throws Exception {
    JsChannel alice = join(js.get(), server, "alice", "room:pair");
    JsChannel bob = join(js.get(), server, "bob", "room:pair");
    alice.pushNoReply("new_msg", Map.of("body", "hi bob"));
    assertThat(newMsgFrom(alice, "alice").payload().get("is_own_message").booleanValue()).isTrue();
    assertThat(newMsgFrom(bob, "alice").payload().get("is_own_message").booleanValue()).isFalse();
    bob.pushNoReply("new_msg", Map.of("body", "hi alice"));
    assertThat(newMsgFrom(alice, "bob").payload().get("is_own_message").booleanValue()).isFalse();
    assertThat(newMsgFrom(bob, "bob").payload().get("is_own_message").booleanValue()).isTrue();
  }

  @Test
  void threeUsersUserJoinedReachesEverySubscriberWithItsRelationship() throws Exception {
    JsChannel ann = join(js.get(), server, "ann", "room:trio");
    assertThat(userJoinedRelationship(ann, "ann")).isEqualTo("self");
    JsChannel ben = join(js.get(), server, "ben", "room:trio");
    assertThat(userJoinedRelationship(ben, "ben")).isEqualTo("self");
    assertThat(userJoinedRelationship(ann, "ben")).isEqualTo("none");
    assertThat(ann.push("block", Map.of("user_id", "cal")).isOk()).isTrue();
    JsChannel cal = join(js.get(), server, "cal", "room:trio");
    assertThat(userJoinedRelationship(cal, "cal")).isEqualTo("self");
    assertThat(userJoinedRelationship(ann, "cal")).isEqualTo("blocked");
    assertThat(userJoinedRelationship(ben, "cal")).isEqualTo("none");
    JsMessage copy = cal.messages().stream().filter(m -> m.event().equals("user_joined")).findFirst().orElseThrow();
    assertThat(copy.payload().propertyNames()).containsExactlyInAnyOrder("user_id", "relationship");
    Fence.after(cal, ann);
    ann.assertNoMessage("user_joined", Duration.ZERO);
  }

  @Test
  void aBlockedAuthorIsSilencedForTheBlockerInEveryRoomOnly() throws Exception {
    JsChannel carolInOne = join(js.get(), server, "carol", "room:block-1");
    JsChannel carolInTwo = join(js.get(), server, "carol", "room:block-2");
    JsChannel daveInOne = join(js.get(), server, "dave", "room:block-1");
    JsChannel daveInTwo = join(js.get(), server, "dave", "room:block-2");
    JsChannel eveInOne = join(js.get(), server, "eve", "room:block-1");
    JsChannel eveInTwo = join(js.get(), server, "eve", "room:block-2");

    daveInOne.pushNoReply("new_msg", Map.of("body", "before the block"));
    assertThat(newMsgFrom(carolInOne, "dave").payload().get("body").stringValue()).isEqualTo("before the block");

    JsReply blocked = carolInOne.push("block", Map.of("user_id", "dave"));
    assertThat(blocked.status()).isEqualTo("ok");
    assertThat(blocked.response().size()).isZero();

    daveInOne.pushNoReply("new_msg", Map.of("body", "room one"));
    daveInTwo.pushNoReply("new_msg", Map.of("body", "room two"));
    assertThat(newMsgFrom(eveInOne, "dave").payload().get("body").stringValue()).isEqualTo("before the block");
    assertThat(newMsgFrom(eveInOne, "dave").payload().get("body").stringValue()).isEqualTo("room one");
    assertThat(newMsgFrom(eveInTwo, "dave").payload().get("body").stringValue()).isEqualTo("room two");
    assertThat(newMsgFrom(daveInTwo, "dave").payload().get("is_own_message").booleanValue()).isTrue();
    Fence.after(daveInOne, carolInOne);
    carolInOne.assertNoMessage("new_msg", Duration.ZERO);
    Fence.after(daveInTwo, carolInTwo);
    carolInTwo.assertNoMessage("new_msg", Duration.ZERO);

    JsChannel carolLater = join(js.get(), server, "carol", "room:block-3"); // a join after the block, another socket
    JsChannel daveInThree = join(js.get(), server, "dave", "room:block-3");
    daveInThree.pushNoReply("new_msg", Map.of("body", "room three"));
    newMsgFrom(daveInThree, "dave");
    Fence.after(daveInThree, carolLater);
    carolLater.assertNoMessage("new_msg", Duration.ZERO);

    carolInOne.pushNoReply("new_msg", Map.of("body", "blocks are one way"));
    assertThat(newMsgFrom(daveInOne, "carol").payload().get("body").stringValue()).isEqualTo("blocks are one way");
  }

  @Test
  void blockRefusesBadUserIdsAndSelf() throws Exception {
    JsChannel fay = join(js.get(), server, "fay", "room:block-bad");
    for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of(), Map.of("user_id", "not ok!"), Map.of("user_id", 7))) {
      JsReply reply = fay.push("block", bad);
      assertThat(reply.status()).as(bad.toString()).isEqualTo("error");
      assertThat(reply.response().get("reason").stringValue()).contains("user_id");
    }
    JsReply self = fay.push("block", Map.of("user_id", "fay"));
    assertThat(self.status()).isEqualTo("error");
    assertThat(self.response().get("reason").stringValue()).contains("yourself");
    assertThat(fay.state()).isEqualTo("joined");
  }

  @Test
  void typingGoesToEverySubscriberButTheSender() throws Exception {
    JsSocket ginaSocket = js.connect(server.socketUrl(), Map.of("token", server.token("gina")));
    JsChannel gina = ginaSocket.channel("room:typing");
    gina.join();
    JsChannel ginaOtherTab = join(js.get(), server, "gina", "room:typing");
    JsChannel hal = join(js.get(), server, "hal", "room:typing");
    gina.pushNoReply("typing", Map.of("typing", true));
    JsMessage seen = hal.awaitMessage("user_typing", WAIT);
    assertThat(seen.payload().get("user_id").stringValue()).isEqualTo("gina");
    assertThat(seen.payload().get("typing").booleanValue()).isTrue();
    assertThat(ginaOtherTab.awaitMessage("user_typing", WAIT).payload().get("user_id").stringValue()).isEqualTo("gina");
    gina.pushNoReply("typing", Map.of("typing", false));
    assertThat(hal.awaitMessage("user_typing", WAIT).payload().get("typing").booleanValue()).isFalse();
    Fence.after(gina, gina);
    gina.assertNoMessage("user_typing", Duration.ZERO);
    JsReply bad = gina.push("typing", Map.of("typing", "yes"));
    assertThat(bad.status()).isEqualTo("error");
    assertThat(bad.response().get("reason").stringValue()).contains("typing");
  }
}
