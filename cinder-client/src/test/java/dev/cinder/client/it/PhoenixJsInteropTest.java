package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.Message;
import dev.cinder.client.Presence;
import dev.cinder.client.PresenceEntry;
import dev.cinder.client.Socket;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/** The Java client and the official phoenix.js client in one room: each sees the other's messages and presence. */
class PhoenixJsInteropTest {
  private static final String TOPIC = "presence:interop";
  @RegisterExtension
  static final ItServer server = ItServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();


  /** The keys of a phoenix.js presence state (an object keyed by presence key). */
  private static Set<String> keys(JsonNode jsState) {
    return new TreeSet<>(jsState.propertyNames());
  }

  private static Set<String> keys(Presence presence) {
    Set<String> keys = new TreeSet<>();
    presence.list().forEach(e -> keys.add(e.key()));
    return keys;
  }

  @Test
  void javaAndPhoenixJsClientsShareOneRoom() {
    JsSocket jsSocket = js.connect(server.url(), Map.of("token", "node-user"));
    JsChannel jsRoom = jsSocket.channel(TOPIC).trackPresence();
    assertThat(jsRoom.join(Map.of("device", "node")).status()).isEqualTo("ok");

    try (Socket socket = It.connected(server.url(), "java-user")) {
      Channel room = socket.channel(TOPIC, () -> Map.of("device", "jvm"));
      Presence presence = new Presence(room);
      It.Recorder<String> leaves = new It.Recorder<>();
      presence.onLeave((key, current, left) -> leaves.add(key + " left " + current.metas().size()));
      It.Recorder<Message> said = It.record(room, "said");
      assertThat(It.get(room.join()).isOk()).isTrue();

      // Presence: both see both, with the other's device.
      It.await("the Java client sees both", () -> keys(presence).equals(Set.of("java-user", "node-user")));
      PresenceEntry node = presence.list().stream().filter(e -> e.key().equals("node-user")).findFirst().orElseThrow();
      assertThat(node.metas().getFirst().path("device").stringValue()).isEqualTo("node");
      JsonNode state = jsRoom.awaitPresenceState(s -> s.has("java-user") && s.has("node-user"), It.WAIT);
      assertThat(state.path("java-user").path("metas").get(0).path("device").stringValue()).isEqualTo("jvm");

      // Messages: each hears the other.
      assertThat(It.get(room.push("say", Map.of("text", "hello from java"))).isOk()).isTrue();
      JsMessage heardByJs = jsRoom.awaitMessage("said", It.WAIT);
      assertThat(heardByJs.payload().path("text").stringValue()).isEqualTo("hello from java");
      assertThat(heardByJs.payload().path("from").stringValue()).isEqualTo("java-user");

      assertThat(jsRoom.push("say", Map.of("text", "hello from node")).status()).isEqualTo("ok");
      Message heardByJava = said.await(m -> m.payload().json().path("from").stringValue().equals("node-user"));
      assertThat(heardByJava.payload().json().path("text").stringValue()).isEqualTo("hello from node");
      assertThat(heardByJava.topic()).isEqualTo(TOPIC);

      // phoenix.js leaves: the Java client's presence sees it go.
      jsRoom.leave();
      assertThat(leaves.await(s -> s.startsWith("node-user"))).isEqualTo("node-user left 0");
      It.await("only the Java client is left", () -> keys(presence).equals(Set.of("java-user")));
      jsSocket.disconnect();
    }
  }

  @Test
  void phoenixJsSeesTheJavaClientLeave() {
    JsSocket jsSocket = js.connect(server.url(), Map.of("token", "node-watcher"));
    JsChannel jsRoom = jsSocket.channel("presence:watch").trackPresence();
    assertThat(jsRoom.join(Map.of("device", "node")).status()).isEqualTo("ok");
    Socket socket = It.connected(server.url(), "java-leaver");
    Channel room = socket.channel("presence:watch", () -> Map.of("device", "jvm"));
    assertThat(It.get(room.join()).isOk()).isTrue();
    jsRoom.awaitPresenceState(state -> keys(state).equals(Set.of("java-leaver", "node-watcher")), It.WAIT);
    socket.close();
    jsRoom.awaitPresenceState(state -> keys(state).equals(Set.of("node-watcher")), It.WAIT);
    jsSocket.disconnect();
  }

  @Test
  void binaryBroadcastsCrossBetweenJavaAndPhoenixJs() {
    JsSocket jsSocket = js.connect(server.url(), Map.of("token", "node-bytes"));
    JsChannel jsRoom = jsSocket.channel("room:interop-bytes");
    assertThat(jsRoom.join().status()).isEqualTo("ok");
    try (Socket socket = It.connected(server.url(), "java-bytes")) {
      Channel room = It.joined(socket, "room:interop-bytes");
      It.Recorder<Message> bytes = It.record(room, "bytes");

      assertThat(It.get(room.push("bcast_bytes", new byte[] {1, 2, (byte) 0xff})).isOk()).isTrue();
      JsMessage fromJava = jsRoom.awaitMessage("bytes", It.WAIT);
      assertThat(fromJava.isBinary()).isTrue();
      assertThat(fromJava.binary()).containsExactly(1, 2, 0xff);

      assertThat(jsRoom.pushBinary("bcast_bytes", new byte[] {7, 0, 7}).status()).isEqualTo("ok");
      Message fromJs = bytes.await(m -> m.payload().bytes()[0] == 7);
      assertThat(fromJs.payload().bytes()).containsExactly(7, 0, 7);
      assertThat(bytes.all()).hasSize(2);
    }
    jsSocket.disconnect();
  }
}
