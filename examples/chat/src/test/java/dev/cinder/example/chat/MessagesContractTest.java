package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** {@code new_msg} and {@code message_history} of rooms, with the default RATE_LIMIT 10/5000, from outside. */
class MessagesContractTest {
  static final Duration WAIT = Duration.ofSeconds(5);
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();




  /** Joins a room as a user on a socket of its own. */
  static JsChannel join(PhoenixJs js, ChatServer server, String userId, String topic) throws Exception {
    JsChannel channel = js.connect(server.socketUrl(), Map.of("token", server.token(userId))).channel(topic);
    JsReply reply = channel.join();
    assertThat(reply.status()).as(userId + " joins " + topic).isEqualTo("ok");
    assertThat(reply.response().size()).isZero();
    channel.awaitMessage("message_history", WAIT);
    return channel;
  }

  private static void assertStoredShape(JsonNode msg) {
    assertThat(msg.get("id").isIntegralNumber()).isTrue();
    assertThat(Instant.parse(msg.get("inserted_at").stringValue()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now().plusSeconds(1));
    assertThat(msg.get("inserted_at").stringValue()).endsWith("Z");
  }

  @Test
  void aMessageIsStoredAndBroadcastToEverySubscriberSenderIncludedWithoutReply() throws Exception {
    JsChannel frank = join(js.get(), server, "frank", "room:broadcast-test");
    JsChannel gina = join(js.get(), server, "gina", "room:broadcast-test");
    String ref = frank.pushNoReply("new_msg", Map.of("body", "hello room"));
    // The channel answers pushes in order: a reply to new_msg would come before the ping's.
    assertThat(frank.push("ping", Map.of("n", 1)).isOk()).isTrue();
    assertThat(frank.messages()).as("new_msg is never answered")
        .noneMatch(m -> m.event().equals("phx_reply") && ref.equals(m.ref()));
    JsMessage own = frank.awaitMessage("new_msg", WAIT);
    JsMessage other = gina.awaitMessage("new_msg", WAIT);
    for (JsMessage msg : List.of(own, other)) {
      assertThat(msg.payload().get("body").stringValue()).isEqualTo("hello room");
      assertThat(msg.payload().get("user_id").stringValue()).isEqualTo("frank");
      assertStoredShape(msg.payload());
      assertThat(msg.payload().propertyNames()).containsExactlyInAnyOrder("id", "body", "user_id", "inserted_at", "is_own_message");
    }
    assertThat(own.payload().get("id")).isEqualTo(other.payload().get("id"));
    JsonNode history = join(js.get(), server, "hugo", "room:broadcast-test").messages().stream()
        .filter(m -> m.event().equals("message_history")).findFirst().orElseThrow().payload().get("messages");
    assertThat(history).hasSize(1);
    assertThat(history.get(0).get("id")).isEqualTo(own.payload().get("id"));
    assertThat(history.get(0).get("body").stringValue()).isEqualTo("hello room");
  }

  @Test
  void historyComesFirstOldestFirstWithEveryField() throws Exception {
    JsChannel ivan = join(js.get(), server, "ivan", "room:history-order");
    for (String body : List.of("one", "two", "three")) {
      ivan.pushNoReply("new_msg", Map.of("body", body));
      ivan.awaitMessage("new_msg", WAIT);
    }
    JsChannel jane = js.connect(server.socketUrl(), Map.of("token", server.token("jane"))).channel("room:history-order");
    jane.join();
    JsonNode messages = jane.awaitMessage("message_history", WAIT).payload().get("messages");
    assertThat(messages).extracting(m -> m.get("body").stringValue()).containsExactly("one", "two", "three");
    assertThat(messages).extracting(m -> m.get("user_id").stringValue()).containsOnly("ivan");
    assertThat(messages.get(0).get("id").longValue()).isLessThan(messages.get(2).get("id").longValue());
    messages.forEach(m -> {
      assertStoredShape(m);
      assertThat(m.propertyNames()).containsExactlyInAnyOrder("id", "body", "user_id", "inserted_at");
    });
    jane.awaitMessage("user_joined", WAIT);
    List<String> order = jane.messages().stream().map(JsMessage::event).toList();
    assertThat(order).containsSubsequence("phx_reply", "message_history", "user_joined");
    assertThat(join(js.get(), server, "kim", "room:history-empty").messages().stream()
        .filter(m -> m.event().equals("message_history")).findFirst().orElseThrow().payload().get("messages")).isEmpty();
  }

  @Test
  void aMissingOrEmptyBodyIsPushedBackAsAnError() throws Exception {
    JsChannel lea = join(js.get(), server, "lea", "room:validation");
    for (Map<String, Object> bad : List.<Map<String, Object>>of(Map.of(), Map.of("body", ""), Map.of("body", "   "), Map.of("body", 42))) {
      lea.pushNoReply("new_msg", bad);
      JsMessage error = lea.awaitMessage("error", WAIT);
      assertThat(error.payload().get("reason").stringValue()).as(bad.toString()).isEqualTo("Missing required fields: body");
    }
    // A fence: lea's channel broadcasts in order, so a new_msg it had let through would come before this one.
    lea.pushNoReply("new_msg", Map.of("body", "fence"));
    assertThat(lea.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).isEqualTo("fence");
  }

  @Test
  void aBodyOverFourThousandCharactersIsRefusedAndFourThousandPass() throws Exception {
    JsChannel max = join(js.get(), server, "max", "room:lengths");
    max.pushNoReply("new_msg", Map.of("body", "x".repeat(4001)));
    assertThat(max.awaitMessage("error", WAIT).payload().get("reason").stringValue()).isEqualTo("body_too_long");
    max.pushNoReply("new_msg", Map.of("body", "y".repeat(4000)));
    // The first new_msg max sees: the refused one, had it been broadcast, would have come first.
    assertThat(max.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).isEqualTo("y".repeat(4000));
    max.pushNoReply("new_msg", Map.of("body", "👋".repeat(4000))); // 4000 characters, 8000 UTF-16 units
    assertThat(max.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).hasSize(8000);
  }

  @Test
  void htmlTagsAreStrippedBeforeStorage() throws Exception {
    JsChannel nina = join(js.get(), server, "nina", "room:html");
    nina.pushNoReply("new_msg", Map.of("body", "<b>bold</b> and <script>alert('x')</script><i>safe</i> a < b"));
    JsMessage msg = nina.awaitMessage("new_msg", WAIT);
    assertThat(msg.payload().get("body").stringValue()).isEqualTo("bold and safe a < b");
    nina.pushNoReply("new_msg", Map.of("body", "<img src=x onerror=alert(1)>"));
    assertThat(nina.awaitMessage("error", WAIT).payload().get("reason").stringValue())
        .as("nothing but tags: nothing left to store").isEqualTo("Missing required fields: body");
    JsChannel late = join(js.get(), server, "omar", "room:html");
    JsonNode history = late.messages().stream().filter(m -> m.event().equals("message_history")).findFirst()
        .orElseThrow().payload().get("messages");
    assertThat(history).singleElement().satisfies(m -> assertThat(m.get("body").stringValue()).isEqualTo("bold and safe a < b"));
  }

  /** Each decoding of an entity-encoded tag yields the next encoding: the stripping goes on until none is left. */
  @Test
  void aTagHiddenUnderLayersOfEntityEncodingIsStrippedToo() throws Exception {
    JsChannel una = join(js.get(), server, "una", "room:html-deep");
    String tag = "<img src=x onerror=alert(1)>";
    for (int depth = 1; depth <= 6; depth++) {
      tag = tag.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
      una.pushNoReply("new_msg", Map.of("body", depth + ":" + tag + "hi"));
      assertThat(una.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).as("depth " + depth)
          .isEqualTo(depth + ":hi");
    }
    JsonNode history = join(js.get(), server, "vera", "room:html-deep").messages().stream()
        .filter(m -> m.event().equals("message_history")).findFirst().orElseThrow().payload().get("messages");
    assertThat(history).extracting(m -> m.get("body").stringValue())
        .containsExactly("1:hi", "2:hi", "3:hi", "4:hi", "5:hi", "6:hi");
  }

  @Test
  void theRateLimitAllowsExactlyTenPerUserPerRoomAndStoresNothingOver() throws Exception {
    JsChannel paul = join(js.get(), server, "paul", "room:rate");
    JsChannel quinn = join(js.get(), server, "quinn", "room:rate");
    for (int i = 1; i <= 10; i++) {
      paul.pushNoReply("new_msg", Map.of("body", "m" + i));
    }
    for (int i = 1; i <= 10; i++) {
      assertThat(quinn.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).isEqualTo("m" + i);
      // paul's own copy comes after any error his channel pushed him while handling the pushes before it.
      assertThat(paul.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).isEqualTo("m" + i);
    }
    paul.assertNoMessage("error", Duration.ZERO);
    paul.pushNoReply("new_msg", Map.of("body", "m11"));
    JsMessage limited = paul.awaitMessage("error", WAIT);
    assertThat(limited.payload().get("reason").stringValue()).isEqualTo("rate_limited");
    assertThat(limited.payload().get("message").stringValue()).isEqualTo("Too many messages. Please slow down.");
    Fence.after(paul, quinn);
    quinn.assertNoMessage("new_msg", Duration.ZERO);

    quinn.pushNoReply("new_msg", Map.of("body", "quinn has her own budget"));
    assertThat(paul.awaitMessage(m -> m.event().equals("new_msg") && m.payload().get("user_id").stringValue().equals("quinn"),
        WAIT).payload().get("body").stringValue()).isEqualTo("quinn has her own budget");
    JsChannel paulElsewhere = join(js.get(), server, "paul", "room:rate-other");
    paulElsewhere.pushNoReply("new_msg", Map.of("body", "another room, another budget"));
    assertThat(paulElsewhere.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).startsWith("another room");

    JsonNode history = join(js.get(), server, "rita", "room:rate").messages().stream()
        .filter(m -> m.event().equals("message_history")).findFirst().orElseThrow().payload().get("messages");
    assertThat(history).extracting(m -> m.get("body").stringValue()).doesNotContain("m11").contains("m1", "m10").hasSize(11);
  }
}
