package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.ChannelState;
import dev.cinder.client.CloseEvent;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Transports;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Long-poll as the chosen transport, and as the fallback when WebSocket cannot open. */
class LongPollTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  private static ItSocket.Connected lastConnectOf(String user) {
    return server.socket.connects.stream().filter(c -> user.equals(c.user())).reduce((a, b) -> b).orElseThrow();
  }

  /** Join, push with a reply, and a broadcast from a WebSocket client, all over the socket given. */
  private static void worksForChannels(ItServer server, Socket socket, String topic) {
    Channel room = It.joined(socket, topic);
    It.Recorder<Message> shouts = It.record(room, "shout");
    Reply echo = It.get(room.push("echo", Map.of("over", socket.transportName())));
    assertThat(echo.response().json().get("over").stringValue()).isEqualTo("longpoll");
    try (Socket ws = It.connected(server.url(), "ws-neighbour")) {
      Channel wsRoom = It.joined(ws, topic);
      assertThat(It.get(wsRoom.push("shout", Map.of("from", "websocket"))).isOk()).isTrue();
      assertThat(shouts.awaitCount(1).getFirst().payload().json().get("from").stringValue()).isEqualTo("websocket");
    }
    assertThat(It.get(room.push("shout", Map.of("from", "longpoll"))).isOk()).isTrue();
    assertThat(shouts.awaitCount(2).get(1).payload().json().get("from").stringValue()).isEqualTo("longpoll");
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void theLongPollTransportCarriesJoinsPushesAndBroadcasts(Protocol protocol) {
    String user = "poller-" + protocol;
    try (Socket socket = It.socket(server.url()).transport(Transports.longPoll()).protocol(protocol)
        .params(Map.of("token", user)).build()) {
      It.get(socket.connect());
      assertThat(socket.isConnected()).isTrue();
      assertThat(socket.transportName()).isEqualTo("longpoll");
      assertThat(lastConnectOf(user).transport()).isEqualTo("longpoll");
      assertThat(lastConnectOf(user).params()).containsEntry("vsn", protocol == Protocol.V2 ? "2.0.0" : "1.0.0");
      worksForChannels(server, socket, "room:lp-" + protocol);
      It.get(socket.disconnect());
      assertThat(socket.isConnected()).isFalse();
    }
  }

  @Test
  void whenTheWebSocketUpgradeFailsTheSocketFallsBackToLongPoll() {
    try (Socket socket = It.socket(server.longPollOnlyUrl()).longPollFallback(Duration.ofMillis(500))
        .params(Map.of("token", "fallback-refused")).build()) {
      It.get(socket.connect());
      assertThat(socket.transportName()).isEqualTo("longpoll");
      assertThat(lastConnectOf("fallback-refused").transport()).isEqualTo("longpoll");
      worksForChannels(server, socket, "room:lp-refused");
    }
  }

  @Test
  void whenTheWebSocketUpgradeGetsNoAnswerTheSocketFallsBackToLongPollAndKeepsIt() throws Exception {
    try (ItServer own = new ItServer(); FaultProxy proxy = new FaultProxy(own.port())) {
      proxy.stallUpgrades(true);
      try (Socket socket = It.socket(proxy.url("/socket")).longPollFallback(Duration.ofMillis(500))
          .params(Map.of("token", "fallback-stalled")).build()) {
        It.get(socket.connect());
        assertThat(proxy.upgradesStalled()).isGreaterThanOrEqualTo(1);
        assertThat(socket.transportName()).isEqualTo("longpoll");
        assertThat(own.socket.connects).filteredOn(c -> "fallback-stalled".equals(c.user()))
            .extracting(ItSocket.Connected::transport).containsOnly("longpoll");
        worksForChannels(own, socket, "room:lp-stalled");

        // The fallback sticks: after a restart (the long-poll session is gone) it reconnects with long-poll.
        int stalled = proxy.upgradesStalled();
        It.Recorder<String> events = new It.Recorder<>();
        socket.onClose(e -> events.add("close " + e));
        socket.onOpen(() -> events.add("open " + socket.transportName()));
        own.restart();
        It.await("reconnected", () -> own.socket.connectsOf("fallback-stalled") == 2 && socket.isConnected(),
            () -> "events " + events.all() + ", connected " + socket.isConnected() + " over " + socket.transportName()
                + ", stalled " + proxy.upgradesStalled() + ", connects " + own.socket.connects);
        assertThat(socket.transportName()).isEqualTo("longpoll");
        assertThat(proxy.upgradesStalled()).as("no WebSocket attempt after the fallback").isEqualTo(stalled);
        assertThat(own.socket.connects).filteredOn(c -> "fallback-stalled".equals(c.user()))
            .extracting(ItSocket.Connected::transport).containsExactly("longpoll", "longpoll");
      }
    }
  }

  @Test
  void aLongPollSocketReconnectsAfterTheNetworkDropsAndRejoins() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).transport(Transports.longPoll())
            .params(Map.of("token", "lp-drop")).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:lp-drop");
      It.Recorder<Message> news = It.record(room, "news");
      proxy.drop();
      // The poll in flight fails; the client polls again (the HTTP client may retry it, or the socket reconnects)
      // and its channel is there.
      It.await("joined again and hearing broadcasts", () -> {
        server.broadcast("room:lp-drop", "news", Map.of("n", 1));
        return news.size() > 0;
      });
      assertThat(It.get(room.push("echo", Map.of("n", 2))).isOk()).isTrue();
    }
  }

  @Test
  void overLongPollTheAuthTokenReachesConnectAndBytesReachTheChannel() {
    try (Socket socket = It.socket(server.url()).transport(Transports.longPoll()).authToken(() -> "lp-token").build()) {
      It.get(socket.connect());
      ItSocket.Connected connect = lastConnectOf("lp-token");
      assertThat(connect.authToken()).isEqualTo("lp-token");
      assertThat(connect.transport()).isEqualTo("longpoll");
      Channel room = It.joined(socket, "room:lp-bytes");
      // The server cannot answer bytes over long-poll (its binary reply is dropped), but it receives them.
      room.push("upload", new byte[] {4, 5, 6}, Duration.ofMillis(500));
      It.await("the bytes reached the channel", () -> server.socket.binaries.contains("upload:040506"));
      assertThat(It.get(room.push("whoami", Map.of())).response().json().get("user").stringValue())
          .isEqualTo("lp-token");
    }
  }

  @Test
  void aSilentNetworkEndsALongPollSocketInAHeartbeatTimeoutAndItComesBack() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).transport(Transports.longPoll())
            .heartbeatInterval(Duration.ofMillis(300)).params(Map.of("token", "lp-silent")).build()) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      It.Recorder<String> opens = new It.Recorder<>();
      socket.onClose(closes::add);
      socket.onOpen(() -> opens.add("open"));
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:lp-silent");

      proxy.silence();
      assertThat(closes.awaitCount(1).getFirst().willReconnect()).isTrue();
      proxy.resume();
      opens.awaitCount(2);
      It.await("rejoined", () -> room.state() == ChannelState.JOINED && socket.isConnected());
      assertThat(It.get(room.push("echo", Map.of("back", true))).isOk()).isTrue();
    }
  }

  @Test
  void onceAWebSocketHasOpenedTheSocketNeverFallsBack() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).longPollFallback(Duration.ofMillis(300))
            .params(Map.of("token", "ws-first")).build()) {
      It.get(socket.connect());
      assertThat(socket.transportName()).isEqualTo("websocket");
      Channel room = It.joined(socket, "room:ws-first");

      proxy.stallUpgrades(true);
      proxy.drop();
      // Upgrades given up on one after another, each longer than the fallback delay: still no long-poll.
      It.await("three stalled upgrades", () -> proxy.upgradesStalled() >= 3);
      assertThat(socket.transportName()).isEqualTo("websocket");
      assertThat(server.socket.connects).filteredOn(c -> "ws-first".equals(c.user()))
          .extracting(ItSocket.Connected::transport).containsOnly("websocket");

      proxy.stallUpgrades(false);
      It.await("back over WebSocket", () -> socket.isConnected() && room.state() == ChannelState.JOINED);
      assertThat(socket.transportName()).isEqualTo("websocket");
      assertThat(server.socket.connectsOf("ws-first")).isEqualTo(2);
    }
  }
}
