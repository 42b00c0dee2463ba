package dev.cinder.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/** Protocol 2.0.0 frames, against the exact bytes docs/protocol.md gives. */
class V2CodecTest {
  private final JsonMapper mapper = JsonMapper.builder().build();
  private final V2Codec codec = new V2Codec(mapper);

  @Test
  void encodesTextPushesAsTheOfficialClientDoes() {
    assertThat(codec.encode(Frame.json("3", "3", "room:lobby", "phx_join", mapper.readTree("{\"token\":\"abc\"}")))
        .text()).isEqualTo("[\"3\",\"3\",\"room:lobby\",\"phx_join\",{\"token\":\"abc\"}]");
    assertThat(codec.encode(Frame.json(null, "5", "phoenix", "heartbeat", JsonNodeFactory.instance.objectNode()))
        .text()).isEqualTo("[null,\"5\",\"phoenix\",\"heartbeat\",{}]");
    assertThat(codec.encode(Frame.json("3", "6", "room:lobby", "new_msg", mapper.readTree("{\"body\":\"hi\"}")))
        .text()).isEqualTo("[\"3\",\"6\",\"room:lobby\",\"new_msg\",{\"body\":\"hi\"}]");
    assertThat(codec.encode(Frame.json("1", "2", "t", "e", mapper.readTree("{\"s\":\"café\"}"))).text()
        .getBytes(StandardCharsets.UTF_8)).containsSubsequence((byte) 0xc3, (byte) 0xa9);
  }

  @Test
  void encodesABinaryPushByteForByte() {
    Encoded encoded = codec.encode(Frame.binary("1", "3", "room:lobby", "upload", new byte[] {1, 2, 3}));
    assertThat(hex(encoded.binary())).isEqualTo("0001010a06" + "31" + "33" + "726f6f6d3a6c6f626279"
        + "75706c6f6164" + "010203");
  }

  @Test
  void aBinaryPushWithoutJoinRefHasAnEmptyField() {
    assertThat(hex(codec.encode(Frame.binary(null, null, "t", "e", new byte[0])).binary()))
        .isEqualTo("000000010174" + "65");
  }

  @Test
  void refusesToEncodeAFieldOver255Bytes() {
    assertThatThrownBy(() -> codec.encode(Frame.binary("1", "2", "x".repeat(256), "e", new byte[0])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic").hasMessageContaining("255");
  }

  @Test
  void decodesServerTextFrames() throws Exception {
    Frame reply = codec.decodeText("[\"3\",\"9\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"id\":7}}]");
    assertThat(reply.joinRef()).isEqualTo("3");
    assertThat(reply.ref()).isEqualTo("9");
    assertThat(reply.topic()).isEqualTo("room:1");
    assertThat(reply.event()).isEqualTo("phx_reply");
    assertThat(reply.json().get("response").get("id").asInt()).isEqualTo(7);

    Frame broadcast = codec.decodeText("[null,null,\"room:1\",\"new_msg\",{\"body\":\"hi\"}]");
    assertThat(broadcast.joinRef()).isNull();
    assertThat(broadcast.ref()).isNull();
    assertThat(broadcast.json().get("body").asString()).isEqualTo("hi");

    Frame numeric = codec.decodeText("[12,345,\"t\",\"e\",{}]");
    assertThat(numeric.joinRef()).isEqualTo("12");
    assertThat(numeric.ref()).isEqualTo("345");

    Frame recovered = codec.decodeText("[null,\"k3x9q2mv:44\",\"room:lobby\",\"new_msg\",{\"body\":\"missed\"},\"extra\"]");
    assertThat(recovered.ref()).isEqualTo("k3x9q2mv:44");
  }

  @Test
  void decodesServerBinaryFrames() throws Exception {
    Frame push = codec.decodeBinary(bytes("0002060331327" + "26f6f6d3a31" + "696d67" + "010203"));
    assertThat(push).extracting(Frame::joinRef, Frame::ref, Frame::topic, Frame::event)
        .containsExactly("12", null, "room:1", "img");
    assertThat(push.binary()).containsExactly(1, 2, 3);

    Frame reply = codec.decodeBinary(bytes("0101020602" + "33" + "3130" + "726f6f6d3a31" + "6f6b" + "010203"));
    assertThat(reply).extracting(Frame::joinRef, Frame::ref, Frame::topic, Frame::event, Frame::status)
        .containsExactly("3", "10", "room:1", "phx_reply", "ok");
    assertThat(reply.binary()).containsExactly(1, 2, 3);

    Frame broadcast = codec.decodeBinary(bytes("020607" + "726f6f6d3a31" + "6e65775f6d7367" + "010203"));
    assertThat(broadcast).extracting(Frame::joinRef, Frame::ref, Frame::topic, Frame::event)
        .containsExactly(null, null, "room:1", "new_msg");

    Frame unicode = codec.decodeBinary(bytes("020204" + "c3a9" + "f09f9880" + "010203"));
    assertThat(unicode.topic()).isEqualTo("é");
    assertThat(unicode.event()).isEqualTo("😀");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "   ", "{\"topic\":\"t\"}", "\"text\"", "42", "null", "[1,2,3]", "[null,null,\"t\",\"e\"]",
      "[null,null,5,\"e\",{}]", "[null,null,\"t\",null,{}]", "[{},null,\"t\",\"e\",{}]", "[null,[1],\"t\",\"e\",{}]",
      "[null,1.5,\"t\",\"e\",{}]", "[null,true,\"t\",\"e\",{}]", "[null,null,\"t\",\"e\",{}] trailing",
      "[null,null,\"t\",\"e\",{}", "[null,null,\"t\",\"e\",{\"a\":}]"})
  void refusesMalformedTextFramesWithAClearMessage(String text) {
    assertThatThrownBy(() -> codec.decodeText(text)).isInstanceOf(MalformedFrameException.class)
        .message().isNotBlank();
  }

  @Test
  void refusesAHugeNumberWithoutCrashing() {
    String digits = "9".repeat(5000);
    assertThatThrownBy(() -> codec.decodeText("[null," + digits + ",\"t\",\"e\",{}]"))
        .isInstanceOf(MalformedFrameException.class).hasMessageContaining("not valid JSON");
    String deep = "[".repeat(100_000);
    assertThatThrownBy(() -> codec.decodeText(deep)).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void aHugeNumberInThePayloadIsKept() throws Exception {
    Frame frame = codec.decodeText("[null,\"123456789012345678901234567890\",\"t\",\"e\",{\"n\":1e400}]");
    assertThat(frame.ref()).isEqualTo("123456789012345678901234567890");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "", "07", "03", "01", "00", "0001", "000203", "000203" + "3132", "00020303" + "3132" + "7465",
      "01010206" + "02", "0201", "020203" + "7465", "02ff01" + "74", "0201ff" + "74" + "65",
      "020101" + "c3" + "65", "020101" + "ff" + "65", "020301" + "eda080" + "65"})
  void refusesMalformedBinaryFramesWithAClearMessage(String hex) {
    assertThatThrownBy(() -> codec.decodeBinary(bytes(hex))).isInstanceOf(MalformedFrameException.class)
        .message().containsAnyOf("kind", "empty", "UTF-8", "past the end", "shorter");
  }

  @Test
  void theMessagesSayWhatIsWrong() {
    assertThatThrownBy(() -> codec.decodeBinary(bytes("07"))).hasMessageContaining("unknown kind 7");
    assertThatThrownBy(() -> codec.decodeBinary(bytes("0201ff74"))).hasMessageContaining("event")
        .hasMessageContaining("past the end");
    assertThatThrownBy(() -> codec.decodeBinary(bytes("020101ff65"))).hasMessageContaining("topic")
        .hasMessageContaining("UTF-8");
    assertThatThrownBy(() -> codec.decodeText("{}")).hasMessageContaining("JSON array");
    assertThatThrownBy(() -> codec.decodeText("[null,null,5,\"e\",{}]")).hasMessageContaining("topic must be a string");
    assertThatThrownBy(() -> codec.decodeText("[null,null,\"t\"]")).hasMessageContaining("5 elements");
  }

  @Test
  void decodingDoesNotMoveTheCallersBuffer() throws Exception {
    ByteBuffer frame = bytes("020101" + "74" + "65" + "01");
    codec.decodeBinary(frame);
    assertThat(frame.position()).isZero();
  }

  static ByteBuffer bytes(String hex) {
    return ByteBuffer.wrap(HexFormat.of().parseHex(hex));
  }

  static String hex(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }
}
