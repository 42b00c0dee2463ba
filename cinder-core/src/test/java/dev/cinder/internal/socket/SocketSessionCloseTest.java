package dev.cinder.internal.socket;

import static dev.cinder.internal.socket.SocketHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.SocketHarness.Client;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The end of a whole connection: transport closed, socket-id disconnect, malformed frames. */
class SocketSessionCloseTest {
  private final SocketHarness harness = new SocketHarness().socketId("user_socket:42");

  @Test
  void transportClosedTerminatesEveryChannelQuietly() {
    Client client = harness.connect();
    client.join("room:1", "1");
    client.join("room:2", "2");

    client.session.transportClosed();

    eventually().untilAsserted(() -> assertThat(harness.probe.log)
        .contains("terminate #1 SOCKET_CLOSED", "terminate #2 SOCKET_CLOSED"));
    assertThat(client.frames()).hasSize(2);
    assertThat(client.connection.closeCodes()).isEmpty();
    assertThat(client.session.channelCount()).isZero();
    assertThat(harness.pubSub.subscriberCount("room:1")).isZero();
    assertThat(harness.pubSub.subscriberCount("room:2")).isZero();
    assertThat(harness.pubSub.subscriberCount("user_socket:42")).isZero();
  }

  @Test
  void framesAfterTheTransportClosedAreIgnored() {
    Client client = harness.connect();
    client.session.transportClosed();
    client.send("[null,'5','phoenix','heartbeat',{}]");
    client.send("['1','1','room:1','phx_join',{}]");
    eventually().during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1))
        .until(() -> client.frames().isEmpty() && harness.probe.instances.get() == 0);
  }

  @Test
  void disconnectBroadcastToTheSocketIdClosesWith1001AndSendsNoFrame() {
    Client client = harness.connect();
    client.join("room:1", "1");

    harness.pubSub.broadcast("user_socket:42", "something_else", Map.of());
    assertThat(client.connection.closeCodes()).isEmpty();

    harness.pubSub.broadcast("user_socket:42", "disconnect", Map.of());
    assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.GOING_AWAY);
    assertThat(client.frames()).hasSize(1);
  }

  @Test
  void everySocketWithTheIdIsDisconnected() {
    Client first = harness.connect();
    Client second = harness.connect();
    harness.pubSub.broadcast("user_socket:42", "disconnect", Map.of());
    assertThat(first.connection.closeCodes()).containsExactly(CloseCodes.GOING_AWAY);
    assertThat(second.connection.closeCodes()).containsExactly(CloseCodes.GOING_AWAY);
  }

  @Test
  void anAnonymousSocketSubscribesToNoIdTopic() {
    SocketHarness anonymous = new SocketHarness();
    Client client = anonymous.connect();
    assertThat(client.session.id()).isNull();
    anonymous.pubSub.broadcast("user_socket:42", "disconnect", Map.of());
    assertThat(client.connection.closeCodes()).isEmpty();
  }

  @Test
  void aMalformedTextFrameClosesWith1002() {
    Client client = harness.connect();
    client.session.receive(Frame.text("not json"));
    eventually().untilAsserted(() -> assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.PROTOCOL_ERROR));
    assertThat(client.frames()).isEmpty();
  }

  @Test
  void aTooShortArrayClosesWith1002() {
    Client client = harness.connect();
    client.send("['1','1','room:1','phx_join']");
    eventually().untilAsserted(() -> assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.PROTOCOL_ERROR));
    assertThat(harness.probe.instances).hasValue(0);
  }

  @Test
  void anUnknownBinaryKindClosesWith1002() {
    Client client = harness.connect();
    client.session.receive(Frame.binary(new byte[] {7, 0, 0, 0, 0}));
    eventually().untilAsserted(() -> assertThat(client.connection.closeCodes()).containsExactly(CloseCodes.PROTOCOL_ERROR));
  }
}
