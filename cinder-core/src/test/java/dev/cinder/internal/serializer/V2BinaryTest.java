package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** V2 binary layouts, byte by byte. */
class V2BinaryTest {
  private final Serializer v2 = V2JsonSerializer.INSTANCE;
  private static final Payload BYTES_123 = Payload.binary(new byte[] {1, 2, 3});

  private Message decode(String hex) {
    return v2.decode(Frame.binary(Hex.bytes(hex)));
  }

  @Test
  void decodesTheNpmClientExample() {
    Message m = decode("00 01 01 0a 06 31 33 72 6f 6f 6d 3a 6c 6f 62 62 79 75 70 6c 6f 61 64 01 02 03");
    assertThat(m.joinRef()).isEqualTo("1");
    assertThat(m.ref()).isEqualTo("3");
    assertThat(m.topic()).isEqualTo("room:lobby");
    assertThat(m.event()).isEqualTo("upload");
    assertThat(m.payload().isBinary()).isTrue();
    assertThat(m.payload().bytes()).containsExactly(1, 2, 3);
  }

  @Test
  void copiesThePayloadOutOfTheFrame() {
    byte[] frame = Hex.bytes("00 00 00 01 01 74 65 09");
    Message m = v2.decode(Frame.binary(frame));
    frame[7] = 0;
    assertThat(m.payload().bytes()).containsExactly(9);
  }

  @Test
  void decodesEmptyFieldsAsEmptyStringsAndEmptyPayloads() {
    // Phoenix keeps zero-length refs as "" rather than nil.
    Message m = decode("00 00 00 01 01 74 65");
    assertThat(m).isEqualTo(new Message("", "", "t", "e", Payload.binary(new byte[0])));
  }

  @Test
  void decodesUnicodeFieldsAndMaximumLengths() {
    String topic = "é".repeat(127) + "x"; // 255 UTF-8 bytes
    byte[] topicBytes = topic.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] frame = new byte[5 + 1 + topicBytes.length + 2 + 1];
    frame[1] = 0;
    frame[2] = 1;
    frame[3] = (byte) 0xff;
    frame[4] = 2;
    frame[5] = '7';
    System.arraycopy(topicBytes, 0, frame, 6, 255);
    frame[261] = (byte) 0xc3; // "é" as event
    frame[262] = (byte) 0xa9;
    frame[263] = (byte) 0x80;
    Message m = v2.decode(Frame.binary(frame));
    assertThat(m).isEqualTo(new Message("", "7", topic, "é", Payload.binary(new byte[] {(byte) 0x80})));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", // empty
        "00", // truncated header
        "00 01 01 0a", // 4-byte header: the server layout is not accepted from clients
        "00 01 01 0a 06 31 33 72 6f 6f 6d 3a 6c 6f 62 62 79 75 70 6c 6f 61", // event cut short
        "00 ff 00 00 00 31", // join_ref length beyond the frame
        "01 01 01 01 01 31 33 74 6f 01", // kind 1 is server-only
        "02 01 01 74 65 01", // kind 2 is server-only
        "03 00 00 00 00",
        "ff 00 00 00 00",
        "00 00 00 01 01 ff 65", // topic is not UTF-8
        "00 00 00 01 02 74 c3 28", // event has a bad continuation byte
        "00 01 00 01 01 80 74 65", // join_ref is a lone continuation byte
        "00 00 00 01 03 74 ed a0 80" // event is an encoded surrogate
      })
  void rejectsMalformedBinary(String hex) {
    assertThatThrownBy(() -> decode(hex)).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void encodesServerPushAsKindZeroWithoutRef() {
    Frame f = v2.encodePush(new Message("12", "99", "room:1", "img", BYTES_123));
    assertThat(f.binary()).isTrue();
    assertThat(Hex.of(f.bytes()))
        .isEqualTo("00 02 06 03 31 32 72 6f 6f 6d 3a 31 69 6d 67 01 02 03");
  }

  @Test
  void encodesNullJoinRefAsEmpty() {
    Frame f = v2.encodePush(new Message(null, null, "t", "e", Payload.binary(new byte[0])));
    assertThat(Hex.of(f.bytes())).isEqualTo("00 00 01 01 74 65");
  }

  @Test
  void encodesBinaryRepliesAsKindOne() {
    Frame f = v2.encodeReply(new ReplyMessage("3", "10", "room:1", "ok", BYTES_123));
    assertThat(f.binary()).isTrue();
    assertThat(Hex.of(f.bytes()))
        .isEqualTo("01 01 02 06 02 33 31 30 72 6f 6f 6d 3a 31 6f 6b 01 02 03");
    Frame noRefs = v2.encodeReply(new ReplyMessage(null, null, "t", "error", Payload.binary(new byte[] {0})));
    assertThat(Hex.of(noRefs.bytes())).isEqualTo("01 00 00 01 05 74 65 72 72 6f 72 00");
  }

  @Test
  void encodesBinaryBroadcastsAsKindTwo() {
    Frame f = v2.encodeBroadcast(new Broadcast("room:1", "new_msg", BYTES_123));
    assertThat(f.binary()).isTrue();
    assertThat(Hex.of(f.bytes())).isEqualTo("02 06 07 72 6f 6f 6d 3a 31 6e 65 77 5f 6d 73 67 01 02 03");
  }

  @Test
  void encodesUnicodeFieldsByUtf8Length() {
    Frame f = v2.encodeBroadcast(new Broadcast("é", "😀", BYTES_123));
    assertThat(Hex.of(f.bytes())).isEqualTo("02 02 04 c3 a9 f0 9f 98 80 01 02 03");
  }

  @Test
  void acceptsFieldsOfExactly255Bytes() {
    String max = "é".repeat(127) + "x";
    Frame f = v2.encodeBroadcast(new Broadcast(max, "e", BYTES_123));
    assertThat(f.bytes()[1]).isEqualTo((byte) 0xff);
    assertThat(f.bytes()).hasSize(1 + 2 + 255 + 1 + 3);
  }

  @Test
  void rejectsFieldsOver255Utf8Bytes() {
    String tooLong = "é".repeat(128); // 128 chars, 256 bytes
    assertThatThrownBy(() -> v2.encodeBroadcast(new Broadcast(tooLong, "e", BYTES_123)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("255");
    assertThatThrownBy(() -> v2.encodeBroadcast(new Broadcast("t", "x".repeat(256), BYTES_123)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v2.encodePush(new Message("j".repeat(256), null, "t", "e", BYTES_123)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v2.encodeReply(new ReplyMessage("1", "r".repeat(256), "t", "ok", BYTES_123)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v2.encodeReply(new ReplyMessage("1", "2", "t", "s".repeat(256), BYTES_123)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void jsonFramesHaveNoFieldLimit() {
    String longTopic = "t".repeat(1000);
    Frame f = v2.encodeBroadcast(new Broadcast(longTopic, "e", Payload.empty()));
    assertThat(f.text()).isEqualTo("[null,null,\"" + longTopic + "\",\"e\",{}]");
  }

  @Test
  void clientPushRoundTripsThroughAHandBuiltFrame() {
    byte[] big = new byte[70_000];
    big[69_999] = 42;
    byte[] header = Hex.bytes("00 01 01 01 01 31 32 74 65");
    byte[] frame = new byte[header.length + big.length];
    System.arraycopy(header, 0, frame, 0, header.length);
    System.arraycopy(big, 0, frame, header.length, big.length);
    Message m = v2.decode(Frame.binary(frame));
    assertThat(m.payload().bytes()).isEqualTo(big);
  }
}
