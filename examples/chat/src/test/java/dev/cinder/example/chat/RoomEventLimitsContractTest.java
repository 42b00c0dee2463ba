package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * One client cannot flood a room with {@code typing} or {@code update_status}: each has a budget per user per room
 * (small here, with a window longer than any test, so the counts are exact).
 */
class RoomEventLimitsContractTest {
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final int TYPING = 5;
  private static final int STATUS = 3;
  @RegisterExtension
  static final ChatServer server = ChatServer.perClassWithEventLimits(
      new ChatConfig.RateLimitSetting(TYPING, Duration.ofMinutes(5)), new ChatConfig.RateLimitSetting(STATUS, Duration.ofMinutes(5)));
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private static JsChannel join(String user, String topic) throws Exception {
    return MessagesContractTest.join(js.get(), server, user, topic);
  }

  @Test
  void typingOverTheBudgetIsDroppedWithoutAnAnswer() throws Exception {
    JsChannel flooder = join("flood", "room:typing-limit");
    JsChannel listener = join("listen", "room:typing-limit");
    JsChannel elsewhere = join("flood", "room:typing-limit-other");
    for (int i = 0; i < 40; i++) {
      flooder.pushNoReply("typing", Map.of("typing", i % 2 == 0));
    }
    flooder.pushNoReply("new_msg", Map.of("body", "fence")); // broadcast after every typing before it
    listener.awaitMessage("new_msg", WAIT);
    assertThat(listener.messages()).filteredOn(m -> m.event().equals("user_typing")).hasSize(TYPING)
        .allSatisfy(m -> assertThat(m.payload().get("user_id").stringValue()).isEqualTo("flood"));
    flooder.awaitMessage("new_msg", WAIT);
    List<String> answers = flooder.messages().stream().map(JsMessage::event).filter(e -> !e.startsWith("presence_")).toList();
    assertThat(answers).as("no reply and no error: over the budget, typing is dropped silently")
        .containsExactly("phx_reply", "message_history", "user_joined", "user_joined", "new_msg");

    JsChannel otherListener = join("listen", "room:typing-limit-other");
    elsewhere.pushNoReply("typing", Map.of("typing", true));
    assertThat(otherListener.awaitMessage("user_typing", WAIT).payload().get("user_id").stringValue())
        .as("another room, another budget").isEqualTo("flood");
  }

  @Test
  void statusUpdatesOverTheBudgetGetARateLimitedErrorAndChangeNothing() throws Exception {
    String room = "room:status-limit";
    JsChannel changer = join("changer", room);
    JsChannel watcher = join("watcher", room);
    for (int i = 1; i <= STATUS; i++) {
      assertThat(changer.push("update_status", Map.of("status", "s" + i)).status()).isEqualTo("ok");
    }
    JsReply refused = changer.push("update_status", Map.of("status", "over"));
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("rate_limited");
    assertThat(refused.response().get("message").stringValue()).isEqualTo("Too many status updates. Please slow down.");

    // A join after the refusal: its presence_diff reaches the watcher after any change made before it.
    join("fence", room);
    JsMessage fence = watcher.awaitMessage(m -> m.event().equals("presence_diff") && m.payload().path("joins").has("fence"), WAIT);
    List<JsMessage> received = watcher.messages();
    List<String> statuses = received.subList(0, received.indexOf(fence) + 1).stream()
        .filter(m -> m.event().equals("presence_diff"))
        .flatMap(m -> m.payload().path("joins").path("changer").path("metas").valueStream())
        .map(meta -> meta.path("status").stringValue()).toList();
    assertThat(statuses).doesNotContain("over").last().isEqualTo("s" + STATUS);
    JsonNode list = dev.cinder.internal.Json.MAPPER.valueToTree(server.app().presence().list(room));
    assertThat(list.path("changer").path("metas").get(0).path("status").stringValue()).isEqualTo("s" + STATUS);
  }
}
