package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.CloseEvent;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Transports;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Garbage from the server, large payloads, and connections the client gives up on. */
class RobustnessTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  /** One unmasked, unfragmented WebSocket frame as a server sends it (payloads under 126 bytes). */
  private static byte[] frame(int opcode, byte[] payload) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0x80 | opcode);
    out.write(payload.length);
    out.writeBytes(payload);
    return out.toByteArray();
  }

  private static byte[] text(String frame) {
    return frame(0x1, frame.getBytes(StandardCharsets.UTF_8));
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void malformedFramesFromTheServerAreReportedAndTheConnectionStaysUp(Protocol protocol) throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).protocol(protocol).heartbeatInterval(Duration.ofSeconds(30))
            .params(Map.of("token", "garbage-" + protocol)).build()) {
      It.Recorder<Throwable> errors = new It.Recorder<>();
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onError(errors::add);
      socket.onClose(closes::add);
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:garbage-" + protocol);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue(); // nothing is on its way now

      proxy.injectToClients(text("not json at all"));
      proxy.injectToClients(text(protocol == Protocol.V2 ? "[\"1\",null]" : "{\"topic\":1}"));
      proxy.injectToClients(frame(0x2, new byte[] {9, 9, 9})); // an unknown binary kind; 1.0.0 has none at all
      errors.awaitCount(3);
      assertThat(errors.all()).allSatisfy(e -> assertThat(e.getMessage()).isNotBlank());

      Reply after = It.get(room.push("echo", Map.of("n", 2)));
      assertThat(after.response().json().get("n").asInt()).isEqualTo(2);
      assertThat(socket.isConnected()).isTrue();
      assertThat(closes.all()).as("the connection stayed up").isEmpty();
      assertThat(server.socket.connectsOf("garbage-" + protocol)).isEqualTo(1);
    }
  }

  @Test
  void largeTextAndBinaryPayloadsCrossIntactBothWays() {
    String big = "ü€😀-".repeat(50_000); // about 500 KB of UTF-8, split across many frame fragments
    byte[] bytes = new byte[600_000];
    new Random(42).nextBytes(bytes);
    try (Socket socket = It.connected(server.url(), "large")) {
      Channel room = It.joined(socket, "room:large");
      It.Recorder<Message> back = It.record(room, "bytes_back");
      Reply echo = It.get(room.push("echo", Map.of("text", big)));
      assertThat(echo.response().json().get("text").stringValue()).isEqualTo(big);

      Reply binary = It.get(room.push("upload", bytes));
      assertThat(binary.response().bytes()).isEqualTo(bytes);
      byte[] reversed = back.awaitCount(1).getFirst().payload().bytes();
      assertThat(reversed).hasSize(bytes.length);
      assertThat(reversed[0]).isEqualTo(bytes[bytes.length - 1]);
      assertThat(reversed[bytes.length - 1]).isEqualTo(bytes[0]);
    }
  }

  @Test
  void largeTextCrossesLongPollIntact() {
    String big = "ü€😀-".repeat(50_000);
    try (Socket socket = It.socket(server.url()).transport(Transports.longPoll())
        .params(Map.of("token", "large-lp")).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:large-lp");
      Reply echo = It.get(room.push("echo", Map.of("text", big)));
      assertThat(echo.response().json().get("text").stringValue()).isEqualTo(big);
    }
  }

  @Test
  void aWebSocketAttemptAbandonedForLongPollIsClosed() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port())) {
      proxy.stallUpgrades(true);
      try (Socket socket = It.socket(proxy.url("/socket")).longPollFallback(Duration.ofMillis(300))
          .params(Map.of("token", "abandoned")).build()) {
        It.get(socket.connect());
        assertThat(socket.transportName()).isEqualTo("longpoll");
        assertThat(proxy.upgradesStalled()).isEqualTo(1);
        It.await("the client closed the upgrade it gave up on", () -> proxy.stalledOpen() == 0,
            () -> proxy.stalledOpen() + " stalled upgrade connection(s) still open");
      }
    }
  }

  @Test
  void aMessageOfAnEarlierJoinOfTheTopicIsDropped() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).heartbeatInterval(Duration.ofSeconds(30))
            .params(Map.of("token", "stale")).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:stale");
      It.Recorder<Message> pushed = It.record(room, "pushed");
      It.Recorder<Message> news = It.record(room, "news");
      It.get(room.push("push_me", Map.of()));
      String joinRef = pushed.awaitCount(1).getFirst().joinRef();
      assertThat(joinRef).as("a server push carries its channel's join_ref").isNotNull();
      String stale = joinRef + "0"; // any other join_ref: a message for another join of the topic

      proxy.injectToClients(text("[\"" + stale + "\",null,\"room:stale\",\"news\",{\"n\":1}]"));
      proxy.injectToClients(text("[\"" + joinRef + "\",null,\"room:stale\",\"news\",{\"n\":2}]"));
      // The second is the fence: the first, before it, was dropped.
      assertThat(news.awaitCount(1)).extracting(m -> m.payload().json().get("n").asInt()).containsExactly(2);
      assertThat(It.get(room.push("echo", Map.of())).isOk()).isTrue();
      assertThat(news.all()).hasSize(1);
    }
  }
}
