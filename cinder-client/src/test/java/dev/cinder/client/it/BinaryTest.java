package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.client.Channel;
import dev.cinder.client.CloseEvent;
import dev.cinder.client.Message;
import dev.cinder.client.Protocol;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Binary payloads both ways over protocol 2.0.0, and a clear refusal over 1.0.0. */
class BinaryTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  @Test
  void bytesPushedArriveAsBinaryAndTheBinaryReplyAndPushComeBackExactly() {
    try (Socket socket = It.connected(server.url(), "bytes")) {
      Channel room = It.joined(socket, "room:bytes");
      It.Recorder<Message> back = It.record(room, "bytes_back");
      byte[] sent = {0, 1, 2, (byte) 0x7f, (byte) 0x80, (byte) 0xff, '[', '"'};

      Reply reply = It.get(room.push("upload", sent));
      assertThat(reply.status()).isEqualTo("ok");
      assertThat(reply.response().isBinary()).isTrue();
      assertThat(reply.response().bytes()).containsExactly(sent);
      assertThat(server.socket.binaries).contains("upload:000102" + "7f80ff5b22");

      Message pushed = back.awaitCount(1).getFirst();
      assertThat(pushed.topic()).isEqualTo("room:bytes");
      assertThat(pushed.payload().isBinary()).isTrue();
      assertThat(pushed.payload().bytes()).containsExactly('"', '[', (byte) 0xff, (byte) 0x80, (byte) 0x7f, 2, 1, 0);
    }
  }

  @Test
  void aByteBufferIsSentFromItsPositionToItsLimitAndEmptyBytesTravelToo() {
    try (Socket socket = It.connected(server.url(), "buffer")) {
      Channel room = It.joined(socket, "room:buffer");
      ByteBuffer buffer = ByteBuffer.wrap(new byte[] {9, 8, 7, 6, 5});
      buffer.position(1).limit(4);
      Reply reply = It.get(room.push("slice", buffer));
      assertThat(reply.response().bytes()).containsExactly(8, 7, 6);
      assertThat(server.socket.binaries).contains("slice:080706");

      Reply empty = It.get(room.push("empty", new byte[0]));
      assertThat(empty.response().isBinary()).isTrue();
      assertThat(empty.response().bytes()).isEmpty();
    }
  }

  @Test
  void aBinaryBroadcastReachesEveryMemberAsBytesAndTextStillWorksBesideIt() {
    try (Socket alice = It.connected(server.url(), "alice-bin"); Socket bob = It.connected(server.url(), "bob-bin")) {
      Channel aliceRoom = It.joined(alice, "room:bin-shout");
      Channel bobRoom = It.joined(bob, "room:bin-shout");
      It.Recorder<Message> bobHears = It.record(bobRoom, "shout_bytes");
      assertThat(It.get(aliceRoom.push("shout_bytes", Map.of("hex", "cafe00babe"))).isOk()).isTrue();
      Message heard = bobHears.awaitCount(1).getFirst();
      assertThat(heard.payload().isBinary()).isTrue();
      assertThat(heard.payload().bytes()).containsExactly(0xca, 0xfe, 0x00, 0xba, 0xbe);
      assertThatThrownBy(() -> heard.payload().json()).isInstanceOf(IllegalStateException.class);

      Reply text = It.get(bobRoom.push("echo", Map.of("still", "json")));
      assertThat(text.response().isBinary()).isFalse();
      assertThatThrownBy(() -> text.response().bytes()).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void overProtocol1BytesFailThePushAndTheChannelGoesOn() throws Exception {
    try (Socket socket = It.socket(server.url()).protocol(Protocol.V1_JSON).params(Map.of("token", "v1-bytes")).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:v1-bytes");
      var refused = room.push("upload", new byte[] {1, 2, 3});
      assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
      assertThat(server.socket.binaries).noneMatch(b -> b.startsWith("upload:010203"));
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Test
  void binaryFramesCountTopicAndEventLengthsInUtf8Bytes() {
    String topic = "room:bïnäry-😀-ü";
    try (Socket socket = It.connected(server.url(), "utf8-bytes")) {
      Channel room = It.joined(socket, topic);
      Reply reply = It.get(room.push("üpload-😀", new byte[] {42}));
      assertThat(reply.response().bytes()).containsExactly(42);
      assertThat(server.socket.binaries).contains("üpload-😀:2a");
      assertThat(socket.isConnected()).isTrue();
    }
  }

  @Test
  void aBinaryPushWhoseTopicIsTooLongForTheFrameFailsClearlyAndTheSocketGoesOn() throws Exception {
    String topic = "room:" + "x".repeat(300); // a binary frame has one byte for the topic's length
    try (Socket socket = It.connected(server.url(), "long-topic")) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onClose(closes::add);
      Channel room = It.joined(socket, topic);
      var refused = room.push("upload", new byte[] {1});
      assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IllegalArgumentException.class);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
      assertThat(closes.all()).isEmpty();
      assertThat(server.socket.connectsOf("long-topic")).isEqualTo(1);
    }
  }

  /** A bean whose only property cannot be read. */
  static final class Unwritable {
    public String getValue() {
      throw new IllegalStateException("cannot be written");
    }
  }

  @Test
  void aPayloadJacksonCannotWriteFailsThePushAndTheChannelGoesOn() throws Exception {
    try (Socket socket = It.connected(server.url(), "unwritable")) {
      Channel room = It.joined(socket, "room:unwritable");
      var refused = room.push("echo", new Unwritable());
      assertThatThrownBy(() -> refused.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .rootCause().hasMessageContaining("cannot be written");
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
    }
  }
}
