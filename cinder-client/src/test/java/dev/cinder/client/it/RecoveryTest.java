package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.ChannelState;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.Recovery;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A {@code recover()} channel whose connection drops gets the broadcasts it missed, in order and once, when it
 * rejoins; when it cannot, {@code lastRecovery()} says so and why.
 */
class RecoveryTest {

  private static List<Integer> numbers(It.Recorder<Message> messages) {
    return messages.all().stream().map(m -> m.payload().json().get("n").asInt()).toList();
  }

  /** Cuts the client off (and keeps it off) until the server has let go of its channel. */
  private static void cutOff(FaultProxy proxy, ItServer server, String topic) {
    proxy.refuse();
    proxy.drop();
    It.await("the server let go of " + topic, () -> server.subscribers(topic) == 0);
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aDroppedChannelGetsEveryMissedBroadcastInOrderOnceThenLiveOnes(Protocol protocol) throws Exception {
    String topic = "history:recover-" + protocol;
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).protocol(protocol).params(Map.of("token", "recoverer"))
            .build()) {
      It.get(socket.connect());
      Channel room = socket.channel(topic).recover();
      It.Recorder<Recovery> recoveries = new It.Recorder<>();
      room.onRecovery(recoveries::add);
      It.Recorder<Message> msgs = It.record(room, "msg");
      Reply first = It.get(room.join());
      assertThat(first.isOk()).isTrue();
      assertThat(first.response().json().path("recovery").path("reason").stringValue())
          .as("the reply is given unchanged").isEqualTo("no_position");
      Recovery initial = room.lastRecovery().orElseThrow();
      assertThat(initial.recovered()).isFalse();
      assertThat(initial.reason()).isEqualTo("no_position");
      String epoch = initial.position().split(":")[0];
      assertThat(initial.position()).isEqualTo(epoch + ":0");

      server.broadcast(topic, "msg", Map.of("n", 0));
      assertThat(msgs.awaitCount(1).getFirst().ref()).isEqualTo(epoch + ":1");
      It.await("the position advanced", () -> room.position().equals(Optional.of(epoch + ":1")));

      cutOff(proxy, server, topic);
      for (int n = 1; n <= 20; n++) {
        server.broadcast(topic, "msg", Map.of("n", n));
      }
      proxy.admit();
      It.await("recovered", () -> room.lastRecovery().map(Recovery::recovered).orElse(false));
      Recovery recovered = room.lastRecovery().orElseThrow();
      assertThat(recovered.reason()).isNull();
      assertThat(recovered.position()).isEqualTo(epoch + ":21");

      server.broadcast(topic, "msg", Map.of("n", 21)); // live, and the fence: nothing is replayed after it
      msgs.awaitCount(22);
      assertThat(numbers(msgs)).containsExactlyElementsOf(IntStream.rangeClosed(0, 21).boxed().toList());
      assertThat(msgs.all()).extracting(Message::ref)
          .containsExactlyElementsOf(IntStream.rangeClosed(1, 22).mapToObj(i -> epoch + ":" + i).toList());
      assertThat(room.position()).contains(epoch + ":22");
      assertThat(recoveries.awaitCount(2)).extracting(Recovery::recovered).containsExactly(false, true);
    }
  }

  @Test
  void theSendersOwnBroadcastIsNeitherDeliveredAsAPositionNorReplayed() throws Exception {
    String topic = "history:sender";
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "sender")) {
      Channel room = socket.channel(topic).recover();
      It.Recorder<Message> everything = new It.Recorder<>();
      socket.onMessage(m -> {
        if (m.topic().equals(topic) && !m.event().startsWith("phx_")) {
          everything.add(m);
        }
      });
      It.Recorder<Message> positions = It.record(room, "phx_position");
      It.Recorder<Message> shouts = It.record(room, "shout");
      assertThat(It.get(room.join()).isOk()).isTrue();
      String epoch = room.lastRecovery().orElseThrow().position().split(":")[0];

      assertThat(It.get(room.push("shout_from", Map.of("n", 1))).isOk()).isTrue();
      It.await("the position of its own broadcast", () -> room.position().equals(Optional.of(epoch + ":1")));

      cutOff(proxy, server, topic);
      server.broadcast(topic, "shout", Map.of("n", 2));
      proxy.admit();
      It.await("recovered", () -> room.state() == ChannelState.JOINED
          && room.lastRecovery().map(Recovery::recovered).orElse(false));
      shouts.awaitCount(1);
      server.broadcast(topic, "shout", Map.of("n", 3));
      shouts.awaitCount(2);
      assertThat(numbers(shouts)).containsExactly(2, 3);
      everything.awaitCount(2);
      assertThat(positions.all()).isEmpty();
      assertThat(everything.all()).extracting(Message::event).containsExactly("shout", "shout");
    }
  }

  @Test
  void whenTheMissedBroadcastsAreNoLongerKeptTheRejoinSaysTooOld() throws Exception {
    String topic = "brief:old";
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "late")) {
      Channel room = socket.channel(topic).recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      It.get(room.join());
      server.broadcast(topic, "msg", Map.of("n", 0));
      msgs.awaitCount(1);

      cutOff(proxy, server, topic);
      for (int n = 1; n <= 10; n++) { // the topic keeps 3
        server.broadcast(topic, "msg", Map.of("n", n));
      }
      proxy.admit();
      It.await("a rejoin reply", () -> server.socket.joinsOf(topic) == 2 && room.state() == ChannelState.JOINED);
      It.await("told why", () -> "too_old".equals(room.lastRecovery().map(Recovery::reason).orElse(null)));
      Recovery failed = room.lastRecovery().orElseThrow();
      assertThat(failed.recovered()).isFalse();
      assertThat(failed.position()).endsWith(":11");
      assertThat(server.socket.joins.get(server.socket.joins.size() - 1).params().get("recover").stringValue())
          .endsWith(":1");
    }
  }

  @Test
  void afterAServerRestartTheHistoryIsGoneAndTheRejoinSaysEpochChanged() {
    String topic = "history:restart";
    try (ItServer server = new ItServer(); Socket socket = It.connected(server.url(), "restarted")) {
      Channel room = socket.channel(topic).recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      It.get(room.join());
      server.broadcast(topic, "msg", Map.of("n", 0));
      msgs.awaitCount(1);
      String oldEpoch = room.position().orElseThrow().split(":")[0];

      server.restart();
      It.await("told why", () -> "epoch_changed".equals(room.lastRecovery().map(Recovery::reason).orElse(null)));
      Recovery failed = room.lastRecovery().orElseThrow();
      assertThat(failed.recovered()).isFalse();
      assertThat(failed.position().split(":")[0]).isNotEqualTo(oldEpoch);
    }
  }

  @Test
  void onATopicWithoutHistoryRecoverAsksButNothingIsRecorded() {
    try (ItServer server = new ItServer(); Socket socket = It.connected(server.url(), "no-history")) {
      Channel room = socket.channel("room:no-history").recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      Reply joined = It.get(room.join());
      assertThat(joined.isOk()).isTrue();
      assertThat(joined.response().json().has("recovery")).isFalse();
      assertThat(room.lastRecovery()).isEmpty();
      server.broadcast("room:no-history", "msg", Map.of("n", 1));
      assertThat(msgs.awaitCount(1).getFirst().ref()).isNull();
      assertThat(room.position()).isEmpty();
    }
  }

  @Test
  void recoverGoesWithTheChannelsOwnJoinParamsTrueFirstThenTheLastPosition() throws Exception {
    String topic = "history:params";
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "params")) {
      Channel room = socket.channel(topic, () -> Map.of("device", "jvm")).recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      It.get(room.join());
      server.broadcast(topic, "msg", Map.of("n", 1));
      String position = msgs.awaitCount(1).getFirst().ref();
      cutOff(proxy, server, topic);
      proxy.admit();
      It.await("rejoined", () -> server.socket.joinsOf(topic) == 2 && room.state() == ChannelState.JOINED);
      List<ItSocket.Joined> joins = server.socket.joins;
      assertThat(joins.get(0).params().get("recover").booleanValue()).isTrue();
      assertThat(joins.get(0).params().get("device").stringValue()).isEqualTo("jvm");
      assertThat(joins.get(1).params().get("recover").stringValue()).isEqualTo(position);
      assertThat(joins.get(1).params().get("device").stringValue()).isEqualTo("jvm");
    }
  }

  @Test
  void dropsInTheMiddleOfAStreamOfBroadcastsLoseNothingAndRepeatNothing() throws Exception {
    String topic = "history:stream";
    int total = 400;
    try (ItServer server = new ItServer(); FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.connected(proxy.url("/socket"), "streamed")) {
      Channel room = socket.channel(topic).recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      It.get(room.join());
      Thread broadcaster = Thread.ofPlatform().start(() -> {
        for (int n = 0; n < total; n++) {
          server.broadcast(topic, "msg", Map.of("n", n));
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      try {
        It.await("a first part arrived", () -> msgs.size() >= 80);
        proxy.drop(); // reconnects at once, while broadcasts go on
        It.await("more arrived after the first drop", () -> msgs.size() >= 200);
        proxy.drop();
        broadcaster.join();
      } finally {
        broadcaster.interrupt();
      }
      server.broadcast(topic, "msg", Map.of("n", total)); // the fence
      msgs.await(m -> m.payload().json().get("n").asInt() == total);
      assertThat(numbers(msgs)).containsExactlyElementsOf(IntStream.rangeClosed(0, total).boxed().toList());
      assertThat(server.socket.joinsOf(topic)).isGreaterThanOrEqualTo(3);
      assertThat(room.lastRecovery().orElseThrow().recovered()).isTrue();
    }
  }

  @Test
  void aChannelTheServerCrashedRejoinsWithItsPositionAndRecovers() {
    String topic = "history:crash";
    try (ItServer server = new ItServer(); Socket socket = It.connected(server.url(), "crashed")) {
      Channel room = socket.channel(topic).recover();
      It.Recorder<Message> msgs = It.record(room, "msg");
      It.get(room.join());
      server.broadcast(topic, "msg", Map.of("n", 0));
      String position = msgs.awaitCount(1).getFirst().ref();
      room.push("crash", Map.of(), Duration.ofMillis(500));
      It.await("rejoined after phx_error", () -> server.socket.joinsOf(topic) == 2 && room.state() == ChannelState.JOINED);
      assertThat(server.socket.joins.get(1).params().get("recover").stringValue()).isEqualTo(position);
      It.await("recovered", () -> room.lastRecovery().map(Recovery::recovered).orElse(false));
      server.broadcast(topic, "msg", Map.of("n", 1));
      msgs.awaitCount(2);
      assertThat(numbers(msgs)).containsExactly(0, 1);
    }
  }
}
