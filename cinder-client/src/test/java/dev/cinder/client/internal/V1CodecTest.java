package dev.cinder.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.json.JsonMapper;

/** Protocol 1.0.0 frames. */
class V1CodecTest {
  private final JsonMapper mapper = JsonMapper.builder().build();
  private final V1Codec codec = new V1Codec(mapper);

  @Test
  void encodesAnObjectWithRefAndJoinRef() {
    assertThat(codec.encode(Frame.json("1", "2", "room:lobby", "new_msg", mapper.readTree("{\"body\":\"hi\"}")))
        .text()).isEqualTo("{\"topic\":\"room:lobby\",\"event\":\"new_msg\",\"payload\":{\"body\":\"hi\"},"
            + "\"ref\":\"2\",\"join_ref\":\"1\"}");
  }

  @Test
  void cannotCarryBinary() {
    assertThatThrownBy(() -> codec.encode(Frame.binary("1", "2", "t", "e", new byte[] {1})))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V2");
    assertThatThrownBy(() -> codec.decodeBinary(ByteBuffer.wrap(new byte[] {2, 1, 1, 't', 'e'})))
        .isInstanceOf(MalformedFrameException.class).hasMessageContaining("1.0.0");
  }

  @Test
  void decodesServerFrames() throws Exception {
    Frame reply = codec.decodeText(
        "{\"topic\":\"room:lobby\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"1\"}");
    assertThat(reply).extracting(Frame::joinRef, Frame::ref, Frame::topic, Frame::event)
        .containsExactly(null, "1", "room:lobby", "phx_reply");
    Frame broadcast = codec.decodeText("{\"topic\":\"test:v1\",\"event\":\"news\",\"payload\":{\"n\":2},\"ref\":null}");
    assertThat(broadcast.ref()).isNull();
    assertThat(broadcast.json().get("n").asInt()).isEqualTo(2);
  }

  @Test
  void theRefOfCloseAndErrorIsTheJoinRef() throws Exception {
    Frame close = codec.decodeText("{\"topic\":\"room:1\",\"event\":\"phx_close\",\"payload\":{},\"ref\":\"3\"}");
    assertThat(close.joinRef()).isEqualTo("3");
  }

  @ParameterizedTest
  @ValueSource(strings = {"[null,null,\"t\",\"e\",{}]", "{\"event\":\"e\",\"payload\":{}}",
      "{\"topic\":\"t\",\"payload\":{}}", "{\"topic\":\"t\",\"event\":\"e\"}", "{\"topic\":1,\"event\":\"e\",\"payload\":{}}",
      "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":{}}", "nope", ""})
  void refusesMalformedFrames(String text) {
    assertThatThrownBy(() -> codec.decodeText(text)).isInstanceOf(MalformedFrameException.class)
        .message().isNotBlank();
  }
}
