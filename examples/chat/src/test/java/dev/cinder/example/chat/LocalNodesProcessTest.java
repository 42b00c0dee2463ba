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
 * Several nodes on one machine with no DATABASE_URL: separate JVMs in the same working directory, so on the same
 * default store under ./data/. Each serves, and they share one history, also after the node that opened the
 * store first has stopped.
 */
class LocalNodesProcessTest {
  private static final Duration START = Duration.ofSeconds(30);
  private static final Map<String, String> ENV = Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN);
  private static final String ROOM = "room:local-nodes";

  @TempDir
  Path workDir;

  /** Joins the room on the node at {@code port} and returns the channel with the bodies of its history. */
  private static JsChannel join(PhoenixJs js, int port, String userId, List<String> history) throws Exception {
    JsChannel room = js.connect("ws://127.0.0.1:" + port + "/socket", Map.of("token", ChatServer.tokenFrom(port, userId)))
        .channel(ROOM);
    assertThat(room.join().status()).isEqualTo("ok");
    JsonNode messages = room.awaitMessage("message_history", WAIT).payload().get("messages");
    messages.forEach(m -> history.add(m.get("body").stringValue()));
    return room;
  }

  private static void send(JsChannel room, String body) {
    room.pushNoReply("new_msg", Map.of("body", body));
    assertThat(room.awaitMessage("new_msg", WAIT).payload().get("body").stringValue()).isEqualTo(body);
  }

  private static List<String> history(PhoenixJs js, int port, String userId) throws Exception {
    List<String> bodies = new java.util.ArrayList<>();
    join(js, port, userId, bodies);
    return bodies;
  }

  @Test
  void twoNodesInOneDirectoryServeAndShareOneHistory() throws Exception {
    try (PhoenixJs js = PhoenixJs.start();
        ChatProcess a = ChatProcess.start(workDir, ENV)) {
      int portA = a.awaitPort(START);
      try (ChatProcess b = ChatProcess.start(workDir, ENV)) {
        int portB = b.awaitPort(START);
        send(join(js, portA, "alice", new java.util.ArrayList<>()), "written on a");
        List<String> seenOnB = new java.util.ArrayList<>();
        JsChannel bob = join(js, portB, "bob", seenOnB);
        assertThat(seenOnB).as("b reads what a stored").containsExactly("written on a");
        send(bob, "written on b");
        assertThat(history(js, portA, "carol")).containsExactly("written on a", "written on b");

        assertThat(a.stop()).as("a stops through its shutdown hook").isEqualTo(143);
        send(bob, "written on b after a stopped");
        assertThat(history(js, portB, "dave"))
            .containsExactly("written on a", "written on b", "written on b after a stopped");

        try (ChatProcess again = ChatProcess.start(workDir, ENV)) {
          assertThat(history(js, again.awaitPort(START), "erin"))
              .containsExactly("written on a", "written on b", "written on b after a stopped");
          again.stop();
        }
        b.stop();
        assertThat(b.output()).doesNotContain("ERROR", "Exception");
      }
    }
  }
}
