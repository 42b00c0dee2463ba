package dev.cinder.example.chat;

import static dev.cinder.example.chat.MessagesContractTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.PhoenixJs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What the message store must keep, checked from outside against one database kind; restarts the application
 * on the same database in between. Subclasses name the database.
 */
abstract class StoreContract {
  private static final ChatConfig.RateLimitSetting GENEROUS = new ChatConfig.RateLimitSetting(100, Duration.ofSeconds(5));
  static PhoenixJs js;
  private ChatServer server;

  /** The DATABASE_URL to run against; null for a fresh H2 file. */
  abstract String databaseUrl();

  @BeforeAll
  static void startClient() {
    js = PhoenixJs.start();
  }

  @AfterAll
  static void stopClient() {
    js.close();
  }

  private ChatServer server() {
    if (server == null) {
      server = ChatServer.create(GENEROUS, databaseUrl());
    }
    return server;
  }

  @org.junit.jupiter.api.AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
      server = null;
    }
    js.assertNoDriverErrors();
  }

  private JsChannel join(String userId, String topic) throws Exception {
    JsChannel channel = js.connect(server().socketUrl(), Map.of("token", server().token(userId))).channel(topic);
    assertThat(channel.join().status()).isEqualTo("ok");
    return channel;
  }

  private static JsonNode history(JsChannel channel) {
    return channel.awaitMessage("message_history", WAIT).payload().get("messages");
  }

  @Test
  void historyKeepsTheFiftyMostRecentOldestFirstAcrossARestart() throws Exception {
    JsChannel writer = join("writer", "room:store-history");
    assertThat(history(writer)).isEmpty();
    List<JsonNode> sent = new ArrayList<>();
    for (int i = 1; i <= 55; i++) {
      writer.pushNoReply("new_msg", Map.of("body", i == 55 ? "<em>last</em> 👋 ünïcode" : "message " + i));
    }
    for (int i = 1; i <= 55; i++) {
      sent.add(writer.awaitMessage("new_msg", WAIT).payload());
    }
    server().restart();
    JsonNode messages = history(join("reader", "room:store-history"));
    assertThat(messages).hasSize(50);
    for (int i = 0; i < 50; i++) {
      JsonNode expected = sent.get(i + 5);
      JsonNode actual = messages.get(i);
      assertThat(actual.get("id")).isEqualTo(expected.get("id"));
      assertThat(actual.get("body")).isEqualTo(expected.get("body"));
      assertThat(actual.get("user_id").stringValue()).isEqualTo("writer");
      assertThat(actual.get("inserted_at")).isEqualTo(expected.get("inserted_at"));
    }
    assertThat(messages.get(0).get("body").stringValue()).isEqualTo("message 6");
    assertThat(messages.get(49).get("body").stringValue()).isEqualTo("last 👋 ünïcode");
  }

  @Test
  void roomsKeepTheirOwnHistory() throws Exception {
    JsChannel one = join("roomy", "room:store-one");
    JsChannel two = join("roomy", "room:store-two");
    one.pushNoReply("new_msg", Map.of("body", "in one"));
    two.pushNoReply("new_msg", Map.of("body", "in two"));
    one.awaitMessage("new_msg", WAIT);
    two.awaitMessage("new_msg", WAIT);
    assertThat(history(join("other", "room:store-one"))).extracting(m -> m.get("body").stringValue()).containsExactly("in one");
    assertThat(history(join("other", "room:store-two"))).extracting(m -> m.get("body").stringValue()).containsExactly("in two");
  }

  @Test
  void blocksAreKeptAcrossARestart() throws Exception {
    assertThat(join("blocker", "room:store-blocks").push("block", Map.of("user_id", "noisy")).isOk()).isTrue();
    server().restart();
    JsChannel blocker = join("blocker", "room:store-blocks-2");
    JsChannel noisy = join("noisy", "room:store-blocks-2");
    JsChannel bystander = join("bystander", "room:store-blocks-2");
    assertThat(blocker.awaitMessage(m -> m.event().equals("user_joined") && m.payload().get("user_id").stringValue().equals("noisy"),
        WAIT).payload().get("relationship").stringValue()).isEqualTo("blocked");
    noisy.pushNoReply("new_msg", Map.of("body", "still here"));
    JsMessage seen = bystander.awaitMessage("new_msg", WAIT);
    assertThat(seen.payload().get("body").stringValue()).isEqualTo("still here");
    Fence.after(noisy, blocker);
    blocker.assertNoMessage("new_msg", Duration.ZERO);
  }
}
