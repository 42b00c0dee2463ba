package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.client.Channel;
import dev.cinder.client.ChannelState;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.PushTimeoutException;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Subscription;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/** Joins, pushes, replies, server pushes and broadcasts, timeouts and leaves, in both text protocols. */
class ChannelTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();

  /** A payload given as a record: the socket's JsonMapper turns it into JSON and back. */
  record Note(String text, int n) {}


  private static Socket connect(Protocol protocol, String token) {
    Socket socket = It.socket(server.url()).protocol(protocol).params(Map.of("token", token)).build();
    It.get(socket.connect());
    return socket;
  }

  private static String vsn(Protocol protocol) {
    return protocol == Protocol.V2 ? "2.0.0" : "1.0.0";
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aJoinIsAcceptedOrRefusedByTheChannel(Protocol protocol) {
    try (Socket socket = connect(protocol, "joiner-" + protocol)) {
      assertThat(server.socket.connects.stream().filter(c -> c.user().equals("joiner-" + protocol)).findFirst()
          .orElseThrow().params()).containsEntry("vsn", vsn(protocol));
      Channel open = socket.channel("room:open-" + protocol);
      assertThat(open.topic()).isEqualTo("room:open-" + protocol);
      assertThat(open.state()).isEqualTo(ChannelState.CLOSED);
      Reply ok = It.get(open.join());
      assertThat(ok.status()).isEqualTo("ok");
      assertThat(ok.isOk()).isTrue();
      assertThat(ok.response().json().get("user").stringValue()).isEqualTo("joiner-" + protocol);
      assertThat(open.state()).isEqualTo(ChannelState.JOINED);

      Channel closed = socket.channel("room:private");
      Reply refused = It.get(closed.join());
      assertThat(refused.status()).isEqualTo("error");
      assertThat(refused.isOk()).isFalse();
      assertThat(refused.response().json().get("reason").stringValue()).isEqualTo("unauthorized");
      It.get(closed.leave()); // stops its rejoins
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void pushesGetOkAndErrorRepliesAndServerPushesAndBroadcastsArrive(Protocol protocol) {
    try (Socket socket = connect(protocol, "pusher-" + protocol);
        Socket other = connect(protocol, "listener-" + protocol)) {
      String topic = "room:push-" + protocol;
      Channel room = It.joined(socket, topic);
      Channel otherRoom = It.joined(other, topic);
      It.Recorder<Message> pushed = It.record(room, "pushed");
      It.Recorder<Message> shouts = It.record(otherRoom, "shout");

      Reply echo = It.get(room.push("echo", new Note("hello", 7)));
      assertThat(echo.isOk()).isTrue();
      assertThat(echo.response().as(Note.class)).isEqualTo(new Note("hello", 7));
      assertThat(server.socket.events).contains(topic + " echo {\"text\":\"hello\",\"n\":7}");

      Reply failed = It.get(room.push("fail", Map.of()));
      assertThat(failed.status()).isEqualTo("error");
      assertThat(failed.response().json().get("reason").stringValue()).isEqualTo("as asked");

      assertThat(It.get(room.push("push_me", Map.of("k", "v"))).isOk()).isTrue();
      Message push = pushed.awaitCount(1).getFirst();
      assertThat(push.topic()).isEqualTo(topic);
      assertThat(push.event()).isEqualTo("pushed");
      assertThat(push.payload().isBinary()).isFalse();
      assertThat(push.payload().json().get("k").stringValue()).isEqualTo("v");

      assertThat(It.get(room.push("shout", Map.of("said", "hi"))).isOk()).isTrue();
      assertThat(shouts.awaitCount(1).getFirst().payload().json().get("said").stringValue()).isEqualTo("hi");
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aPushWithoutAReplyTimesOutAndTheChannelGoesOn(Protocol protocol) throws Exception {
    try (Socket socket = connect(protocol, "waiter-" + protocol)) {
      Channel room = It.joined(socket, "room:timeout-" + protocol);
      var unanswered = room.push("ignore", Map.of(), Duration.ofMillis(300));
      assertThatThrownBy(() -> unanswered.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PushTimeoutException.class);
      assertThat(It.get(room.push("echo", Map.of("still", "here"))).response().json().get("still").stringValue())
          .isEqualTo("here");
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void leaveEndsTheChannelAndACancelledHandlerHearsNothing(Protocol protocol) {
    try (Socket socket = connect(protocol, "leaver-" + protocol)) {
      String topic = "room:leave-" + protocol;
      String fenceTopic = "room:fence-" + protocol;
      Channel room = It.joined(socket, topic);
      Channel fence = It.joined(socket, fenceTopic);
      It.Recorder<String> closed = new It.Recorder<>();
      room.onClose(() -> closed.add("closed"));
      It.Recorder<Message> all = new It.Recorder<>();
      socket.onMessage(all::add);
      // A cancelled handler, added before the one awaited (callbacks run in order): the broadcast comes, it hears
      // nothing.
      It.Recorder<Message> cancelled = new It.Recorder<>();
      Subscription subscription = fence.on("news", cancelled::add);
      It.Recorder<Message> fenceNews = It.record(fence, "news");
      subscription.cancel();
      server.broadcast(fenceTopic, "news", Map.of("n", 1));
      fenceNews.awaitCount(1);
      assertThat(cancelled.all()).isEmpty();

      Reply left = It.get(room.leave());
      assertThat(left.status()).isEqualTo("ok");
      assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
      closed.awaitCount(1);
      It.await("the server ended the channel", () -> server.subscribers(topic) == 0);

      // Fence: no broadcast arrives for the left topic; the next one is the fence's (replies and heartbeats aside).
      int before = all.size();
      server.broadcast(topic, "news", Map.of("n", 2));
      server.broadcast(fenceTopic, "news", Map.of("n", 3));
      all.await(m -> m.topic().equals(fenceTopic) && m.payload().json().path("n").asInt() == 3);
      assertThat(all.all().subList(before, all.size())).filteredOn(m -> !m.event().startsWith("phx_")).extracting(Message::topic, Message::event)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(fenceTopic, "news"));
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aChannelTheServerEndsReportsAnErrorAndRejoins(Protocol protocol) {
    try (Socket socket = connect(protocol, "crasher-" + protocol)) {
      String topic = "room:crash-" + protocol;
      Channel room = It.joined(socket, topic);
      It.Recorder<Throwable> errors = new It.Recorder<>();
      room.onError(errors::add);
      room.push("crash", Map.of(), Duration.ofMillis(500)); // no reply: the channel process is gone
      errors.awaitCount(1);
      It.await("rejoined", () -> server.socket.joinsOf(topic) == 2 && room.state() == ChannelState.JOINED);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
    }
  }

  @Test
  void aJoinWithoutAReplyInTimeFailsWithPushTimeoutAndTheRejoinsGoOn() {
    try (Socket socket = It.socket(server.url()).params(Map.of("token", "slow-joiner"))
        .timeout(Duration.ofMillis(300)).build()) {
      It.get(socket.connect());
      Channel room = socket.channel("room:slowjoin");
      assertThatThrownBy(() -> room.join().get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class).cause().isInstanceOf(PushTimeoutException.class);
      It.await("joined by a later attempt", () -> room.state() == ChannelState.JOINED);
      assertThat(server.socket.joinsOf("room:slowjoin")).isGreaterThanOrEqualTo(2);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void aChannelTheServerStopsClosesForGoodWithoutRejoining(Protocol protocol) {
    try (Socket socket = connect(protocol, "stopped-" + protocol)) {
      String topic = "room:stop-" + protocol;
      Channel room = It.joined(socket, topic);
      Channel fence = It.joined(socket, "room:stop-fence-" + protocol);
      It.Recorder<String> closed = new It.Recorder<>();
      room.onClose(() -> closed.add("closed"));
      It.get(room.push("stop", Map.of()));
      closed.awaitCount(1);
      It.await("closed", () -> room.state() == ChannelState.CLOSED);
      // Fence: a round trip on another channel after the rejoin backoff (50 ms) would have passed several times.
      for (int i = 0; i < 5; i++) {
        assertThat(It.get(fence.push("echo", Map.of("i", i))).isOk()).isTrue();
      }
      assertThat(server.socket.joinsOf(topic)).as("no rejoin of a channel the server closed").isEqualTo(1);
      assertThat(room.state()).isEqualTo(ChannelState.CLOSED);
    }
  }

  @Test
  void aReplyAfterTheTimeoutIsDroppedQuietlyAndJoinGivesTheSameOutcomeTwice() throws Exception {
    try (Socket socket = connect(Protocol.V2, "late-reply")) {
      It.Recorder<Throwable> errors = new It.Recorder<>();
      socket.onError(errors::add);
      Channel room = socket.channel("room:late");
      Reply first = It.get(room.join());
      assertThat(It.get(room.join())).isEqualTo(first);
      assertThat(server.socket.joinsOf("room:late")).isEqualTo(1);

      var late = room.push("late", Map.of(), Duration.ofMillis(200));
      assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(PushTimeoutException.class);
      // Fence: the first push's late reply goes out before this one's.
      var slower = room.push("late", Map.of(), Duration.ofSeconds(5));
      assertThat(It.get(slower).response().json().get("late").booleanValue()).isTrue();
      assertThat(errors.all()).isEmpty();
      assertThat(room.state()).isEqualTo(ChannelState.JOINED);
    }
  }

  @Test
  void aRefusedChannelKeepsRejoiningUntilItLeaves() {
    try (Socket socket = connect(Protocol.V2, "insistent")) {
      Channel refused = socket.channel("room:insist:private");
      assertThat(It.get(refused.join()).status()).isEqualTo("error");
      It.await("rejoined with backoff", () -> server.socket.joinsOf("room:insist:private") >= 3);
      It.get(refused.leave());
      assertThat(refused.state()).isEqualTo(ChannelState.CLOSED);
      // Fence: more than the rejoin backoff (50 ms) of round trips on another channel.
      long joins = server.socket.joinsOf("room:insist:private");
      Channel fence = It.joined(socket, "room:insist-fence");
      for (int i = 0; i < 5; i++) {
        It.get(fence.push("echo", Map.of("i", i)));
      }
      assertThat(server.socket.joinsOf("room:insist:private")).isEqualTo(joins);
    }
  }

  /** A payload named in camelCase, sent in snake_case by the socket's own mapper. */
  record Person(String firstName, int shoeSize) {}

  @Test
  void theSocketsJsonMapperWritesPushesAndReadsReplies() {
    JsonMapper snake = JsonMapper.builder().propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE).build();
    try (Socket socket = It.socket(server.url()).jsonMapper(snake).params(Map.of("token", "snake")).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:snake");
      Reply echo = It.get(room.push("echo", new Person("Ada", 38)));
      assertThat(server.socket.events).contains("room:snake echo {\"first_name\":\"Ada\",\"shoe_size\":38}");
      assertThat(echo.response().as(Person.class)).isEqualTo(new Person("Ada", 38));
    }
  }

  @Test
  void aPushBeforeJoinOrAfterLeaveFailsAtOnce() throws Exception {
    try (Socket socket = connect(Protocol.V2, "early-late")) {
      Channel room = socket.channel("room:early-late");
      var early = room.push("echo", Map.of("when", "before join"));
      assertThatThrownBy(() -> early.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class);
      assertThat(It.get(room.join()).isOk()).isTrue();
      It.get(room.leave());
      var late = room.push("echo", Map.of("when", "after leave"));
      assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalStateException.class);
      assertThat(server.socket.events).noneMatch(e -> e.startsWith("room:early-late echo"));
    }
  }
}
