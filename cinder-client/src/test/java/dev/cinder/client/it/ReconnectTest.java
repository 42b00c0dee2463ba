package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.client.Channel;
import dev.cinder.client.ChannelState;
import dev.cinder.client.CloseEvent;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.PushTimeoutException;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The socket comes back by itself after a server restart, a network drop and a silent network; channels rejoin. */
class ReconnectTest {

  @Test
  void afterAServerRestartOnTheSamePortChannelsRejoinAndReceiveBroadcastsAgain() {
    try (ItServer server = new ItServer();
        Socket socket = It.socket(server.url()).params(Map.of("token", "restart")).build()) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      It.Recorder<String> opens = new It.Recorder<>();
      socket.onClose(closes::add);
      socket.onOpen(() -> opens.add("open"));
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:restart");
      It.Recorder<Message> news = It.record(room, "news");
      server.broadcast("room:restart", "news", Map.of("n", 1));
      news.awaitCount(1);

      server.restart();
      CloseEvent close = closes.awaitCount(1).getFirst();
      assertThat(close.willReconnect()).isTrue();
      assertThat(close.code()).as("the drain's close: service restart").isEqualTo(1012);
      It.await("the rejoin reached the new server", () -> server.subscribers("room:restart") == 1
          && room.state() == ChannelState.JOINED);
      assertThat(opens.awaitCount(2)).hasSize(2);
      assertThat(socket.isConnected()).isTrue();

      server.broadcast("room:restart", "news", Map.of("n", 2));
      assertThat(news.awaitCount(2)).extracting(m -> m.payload().json().get("n").asInt()).containsExactly(1, 2);
      Reply echo = It.get(room.push("echo", Map.of("after", "restart")));
      assertThat(echo.response().json().get("after").stringValue()).isEqualTo("restart");
    }
  }

  @Test
  void afterANetworkDropTheCloseSaysItWillReconnectAndChannelsRejoinWithFreshParams() throws Exception {
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "dropped")) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onClose(closes::add);
      AtomicInteger joinsAsked = new AtomicInteger();
      Channel room = socket.channel("room:drop", () -> Map.of("attempt", joinsAsked.incrementAndGet()));
      assertThat(It.get(room.join()).isOk()).isTrue();
      It.Recorder<Message> news = It.record(room, "news");
      It.Recorder<Throwable> channelErrors = new It.Recorder<>();
      room.onError(channelErrors::add);

      proxy.drop();
      CloseEvent close = closes.awaitCount(1).getFirst();
      assertThat(close.willReconnect()).isTrue();
      channelErrors.awaitCount(1); // the channel hears that its connection dropped
      It.await("rejoined", () -> server.socket.joinsOf("room:drop") >= 2 && room.state() == ChannelState.JOINED
          && server.subscribers("room:drop") == 1);

      List<Integer> attempts = server.socket.joins.stream().filter(j -> j.topic().equals("room:drop"))
          .map(j -> j.params().get("attempt").asInt()).toList();
      assertThat(attempts).as("the join params supplier is read on every join").doesNotHaveDuplicates();
      assertThat(attempts.getFirst()).isEqualTo(1);
      assertThat(attempts.getLast()).isEqualTo(joinsAsked.get());

      server.broadcast("room:drop", "news", Map.of("n", 1));
      assertThat(news.awaitCount(1).getFirst().payload().json().get("n").asInt()).isEqualTo(1);
      assertThat(It.get(room.push("echo", Map.of("x", 1))).isOk()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aSilentNetworkEndsInAHeartbeatTimeoutAndAReconnectOnceItPassesBytesAgain(Protocol protocol) throws Exception {
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).protocol(protocol).params(Map.of("token", "silent"))
            .heartbeatInterval(Duration.ofMillis(300)).build()) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      It.Recorder<String> opens = new It.Recorder<>();
      socket.onClose(closes::add);
      socket.onOpen(() -> opens.add("open"));
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:silent");

      proxy.silence();
      CloseEvent close = closes.awaitCount(1).getFirst();
      assertThat(close.willReconnect()).isTrue();
      assertThat(close.reason()).contains("heartbeat");
      assertThat(socket.isConnected()).isFalse();
      assertThat(server.socket.connectsOf("silent")).as("no reconnect got through the silence").isEqualTo(1);

      proxy.resume();
      opens.awaitCount(2);
      It.await("rejoined", () -> room.state() == ChannelState.JOINED && socket.isConnected());
      Reply echo = It.get(room.push("echo", Map.of("back", true)));
      assertThat(echo.response().json().get("back").booleanValue()).isTrue();
      assertThat(server.socket.connectsOf("silent")).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void aPushMadeWhileOfflineIsSentOnceTheChannelIsBackAndALeaveWhileOfflineIsFinal() throws Exception {
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "offline")) {
      Channel room = It.joined(socket, "room:offline");
      Channel gone = It.joined(socket, "room:offline-left");
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onClose(closes::add);
      proxy.refuse();
      proxy.drop();
      closes.awaitCount(1);

      var offlinePush = room.push("echo", Map.of("sent", "offline"), Duration.ofSeconds(10));
      var expired = room.push("echo", Map.of("sent", "too late"), Duration.ofMillis(200));
      assertThatThrownBy(() -> expired.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PushTimeoutException.class);
      Reply left = It.get(gone.leave());
      assertThat(left.status()).as("a leave while offline is answered at once").isEqualTo("ok");
      assertThat(gone.state()).isEqualTo(ChannelState.CLOSED);

      proxy.admit();
      Reply reply = It.get(offlinePush);
      assertThat(reply.response().json().get("sent").stringValue()).isEqualTo("offline");
      assertThat(server.socket.events).filteredOn(e -> e.startsWith("room:offline echo"))
          .as("the push that timed out while waiting was never sent")
          .containsExactly("room:offline echo {\"sent\":\"offline\"}");
      // Fence: the rejoin of room:offline is done and answered; the left channel did not come back with it.
      assertThat(server.socket.joinsOf("room:offline")).isEqualTo(2);
      assertThat(server.socket.joinsOf("room:offline-left")).isEqualTo(1);
      assertThat(gone.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @Test
  void withNoAnswersALeaveEndsWithASyntheticOkAndAPushWithATimeout() throws Exception {
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).params(Map.of("token", "unanswered"))
            .heartbeatInterval(Duration.ofSeconds(30)).timeout(Duration.ofMillis(400)).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:unanswered");
      Channel other = It.joined(socket, "room:unanswered-other");
      proxy.silence();
      var push = other.push("echo", Map.of());
      Reply left = It.get(room.leave());
      assertThat(left.status()).isEqualTo("ok");
      assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
      assertThatThrownBy(() -> push.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PushTimeoutException.class);
      proxy.resume();
    }
  }
}
