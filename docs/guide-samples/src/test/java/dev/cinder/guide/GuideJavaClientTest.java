package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.client.ChannelState;
import dev.cinder.client.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Page 13: the Java client joins a room, pushes JSON and bytes, hears broadcasts and follows presence. */
class GuideJavaClientTest extends GuideServerTest {
  @Test
  void theJavaClientTalksToTheChatServer() throws Exception {
    try (ChatClient alice = new ChatClient(server.socketUrl(), () -> server.tokenFor("alice"), "java")) {
      assertThat(alice.ping("hello").get(10, TimeUnit.SECONDS)).isEqualTo("hello");
      assertThat(alice.room().state()).isEqualTo(ChannelState.JOINED);
      assertThat(alice.pingBytes(new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
      alice.shout("hi all").get(10, TimeUnit.SECONDS);
      assertThat(alice.shouts().poll(10, TimeUnit.SECONDS)).isEqualTo(new ChatClient.Shout("alice", "hi all"));

      try (ChatClient bob = new ChatClient(server.socketUrl(), () -> server.tokenFor("bob"), "java")) {
        assertThat(bob.ping("fence").get(10, TimeUnit.SECONDS)).isEqualTo("fence");
        awaitOnline(alice, "alice", "bob");
        assertThat(alice.presences().get(1).metas().get(0).has("online_at")).isTrue();
      }
      awaitOnline(alice, "alice");
      // rooms keep no history in the guide's server: nothing to recover, and the reply says so by saying nothing
      assertThat(alice.room().lastRecovery()).isEmpty();
    }
  }

  @Test
  void theTunedSocketUsesTheAuthToken() throws Exception {
    try (Socket socket = ChatClient.tuned(server.socketUrl(), () -> server.tokenFor("carol"))) {
      socket.connect().get(10, TimeUnit.SECONDS);
      var room = ChatClient.recoveringRoom(socket, "tuned", () -> { });
      assertThat(room.push("ping", Map.of("text", "x")).get(10, TimeUnit.SECONDS).isOk()).isTrue();
      assertThat(socket.transportName()).isEqualTo("websocket");
    }
  }

  private static void awaitOnline(ChatClient client, String... users) {
    await().atMost(WAIT).until(client::online, online -> online.equals(List.of(users)));
  }
}
