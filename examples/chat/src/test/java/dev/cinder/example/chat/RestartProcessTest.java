package dev.cinder.example.chat;

import static dev.cinder.example.chat.MessagesContractTest.WAIT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.PhoenixJs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * History survives the server process itself: the example runs as a separate JVM with no DATABASE_URL in a
 * temporary working directory (so its default store, ./data/, lands there), is killed with SIGKILL, and starts
 * again on the same files.
 */
class RestartProcessTest {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Map<String, String> ENV = Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN);

  @TempDir
  Path workDir;

  private static JsChannel join(PhoenixJs js, int port, String userId) throws Exception {
    JsChannel room = js.connect("ws://127.0.0.1:" + port + "/socket", Map.of("token", ChatServer.tokenFrom(port, userId)))
        .channel("room:restart");
    assertThat(room.join().status()).isEqualTo("ok");
    return room;
  }

  @Test
  void historySurvivesAKilledServerProcess() throws Exception {
    try (PhoenixJs js = PhoenixJs.start()) {
      List<JsonNode> sent;
      try (ChatProcess first = ChatProcess.start(workDir, ENV)) {
        JsChannel room = join(js, first.awaitPort(START), "sam");
        assertThat(room.awaitMessage("message_history", WAIT).payload().get("messages")).isEmpty();
        room.pushNoReply("new_msg", Map.of("body", "before the crash"));
        room.pushNoReply("new_msg", Map.of("body", "<b>still</b> here"));
        sent = List.of(room.awaitMessage("new_msg", WAIT).payload(), room.awaitMessage("new_msg", WAIT).payload());
        first.kill();
      }
      assertThat(workDir.resolve("data/chat.mv.db")).as("the default store is ./data/ of the working directory").exists();

      try (ChatProcess second = ChatProcess.start(workDir, ENV)) {
        JsChannel room = join(js, second.awaitPort(START), "tia");
        JsonNode history = room.awaitMessage("message_history", WAIT).payload().get("messages");
        assertThat(history).hasSize(2);
        for (int i = 0; i < 2; i++) {
          assertThat(history.get(i).get("id")).isEqualTo(sent.get(i).get("id"));
          assertThat(history.get(i).get("body")).isEqualTo(sent.get(i).get("body"));
          assertThat(history.get(i).get("inserted_at")).isEqualTo(sent.get(i).get("inserted_at"));
        }
        assertThat(history.get(1).get("body").stringValue()).isEqualTo("still here");
        int exit = second.stop();
        assertThat(second.output()).doesNotContain("ERROR", "Exception");
        assertThat(exit).as("stopped by SIGTERM through the shutdown hook").isEqualTo(143);
      }
    }
  }
}
