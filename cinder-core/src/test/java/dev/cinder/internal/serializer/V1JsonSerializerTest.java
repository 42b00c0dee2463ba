package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class V1JsonSerializerTest {
  private final Serializer v1 = V1JsonSerializer.INSTANCE;

  private Message decode(String text) {
    return v1.decode(Frame.text(text));
  }

  @Test
  void decodesTheSpecJoin() {
    Message m = decode("{\"topic\":\"room:lobby\",\"event\":\"phx_join\",\"payload\":{\"name\":\"x\"},\"ref\":\"1\"}");
    assertThat(m).isEqualTo(new Message(null, "1", "room:lobby", "phx_join", Payload.parse("{\"name\":\"x\"}")));
  }

  @Test
  void decodesJoinRefNullRefAnyKeyOrderAndIgnoresUnknownKeys() {
    Message m = decode(
        "{\"ref\":null,\"extra\":{\"a\":[1,2]},\"payload\":{},\"join_ref\":\"7\",\"event\":\"e\",\"topic\":\"t\"}");
    assertThat(m).isEqualTo(new Message("7", null, "t", "e", Payload.empty()));
  }

  @Test
  void keepsNumericRefsAsTheirText() {
    Message m = decode("{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":12,\"join_ref\":3}");
    assertThat(m.ref()).isEqualTo("12");
    assertThat(m.joinRef()).isEqualTo("3");
  }

  @Test
  void decodesUnicodeAndNonObjectPayloads() {
    Message m = decode("{\"topic\":\"salle:café☕\",\"event\":\"msg\",\"payload\":\"😀\",\"ref\":\"1\"}");
    assertThat(m.topic()).isEqualTo("salle:café☕");
    assertThat(m.payload().json().stringValue()).isEqualTo("😀");
    assertThat(decode("{\"topic\":\"t\",\"event\":\"e\",\"payload\":null,\"ref\":null}").payload().json().isNull())
        .isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[\"1\",\"1\",\"t\",\"e\",{}]", // a V2 frame
        "\"text\"",
        "42",
        "null",
        "",
        "   ",
        "{",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":\"1\"",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":\"1\"} {}",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":\"1\"}x",
        "{\"event\":\"e\",\"payload\":{},\"ref\":\"1\"}", // no topic
        "{\"topic\":\"t\",\"payload\":{},\"ref\":\"1\"}", // no event
        "{\"topic\":\"t\",\"event\":\"e\",\"ref\":\"1\"}", // no payload
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{}}", // no ref
        "{\"topic\":1,\"event\":\"e\",\"payload\":{},\"ref\":\"1\"}",
        "{\"topic\":null,\"event\":\"e\",\"payload\":{},\"ref\":\"1\"}",
        "{\"topic\":\"t\",\"event\":[\"e\"],\"payload\":{},\"ref\":\"1\"}",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":true}",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":{}}",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":\"1\",\"join_ref\":[]}",
        "{'topic':'t','event':'e','payload':{},'ref':'1'}"
      })
  void rejectsMalformedText(String text) {
    assertThatThrownBy(() -> decode(text)).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void rejectsInvalidUtf8AndBinaryFrames() {
    byte[] bad = Hex.bytes("7b 22 74 6f 70 69 63 22 3a 22 ff 22 7d"); // {"topic":"\xff"}
    assertThatThrownBy(() -> v1.decode(new Frame(false, bad))).isInstanceOf(MalformedFrameException.class);
    assertThatThrownBy(() -> v1.decode(Frame.binary(Hex.bytes("00 01 01 01 01 31 31 74 65"))))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("binary");
  }

  @Test
  void encodesTheSpecReplyAndPush() {
    ReplyMessage reply = new ReplyMessage("1", "1", "room:lobby", "ok", Payload.empty());
    assertThat(v1.encodeReply(reply).text())
        .isEqualTo("{\"topic\":\"room:lobby\",\"event\":\"phx_reply\",\"payload\":{\"status\":\"ok\",\"response\":{}},\"ref\":\"1\"}");
    Message push = new Message("3", null, "room:lobby", "new_msg", Payload.parse("{\"body\":\"hi\"}"));
    assertThat(v1.encodePush(push).text())
        .isEqualTo("{\"topic\":\"room:lobby\",\"event\":\"new_msg\",\"payload\":{\"body\":\"hi\"},\"ref\":null}");
    assertThat(v1.encodePush(push).binary()).isFalse();
  }

  @Test
  void neverEmitsJoinRef() {
    // phx_close under V1: Phoenix stored the client's null join_ref, so ref is null too.
    Message close = new Message(null, null, "room:1", "phx_close", Payload.empty());
    assertThat(v1.encodePush(close).text())
        .isEqualTo("{\"topic\":\"room:1\",\"event\":\"phx_close\",\"payload\":{},\"ref\":null}");
    Message error = new Message("3", "3", "room:1", "phx_error", Payload.parse("{\"reason\":\"channel_crash\"}"));
    assertThat(v1.encodePush(error).text())
        .isEqualTo("{\"topic\":\"room:1\",\"event\":\"phx_error\",\"payload\":{\"reason\":\"channel_crash\"},\"ref\":\"3\"}");
  }

  @Test
  void encodesBroadcastsAndUnicodeAsRawUtf8() {
    Broadcast b = new Broadcast("salle:café", "new_msg", Payload.parse("{\"body\":\"héllo 😀\"}"));
    byte[] bytes = v1.encodeBroadcast(b).bytes();
    assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"topic\":\"salle:café\",\"event\":\"new_msg\",\"payload\":{\"body\":\"héllo 😀\"},\"ref\":null}");
    assertThat(Hex.of(bytes)).contains("63 61 66 c3 a9"); // "café" as UTF-8, not \\u00e9
  }

  @Test
  void aRecordedBroadcastCarriesItsPositionAsTheRef() {
    Broadcast b = new Broadcast("room:1", "new_msg", Payload.parse("{\"body\":\"hi\"}"));
    assertThat(v1.encodeBroadcast(b, "k3x9q2mv:46").text())
        .isEqualTo("{\"topic\":\"room:1\",\"event\":\"new_msg\",\"payload\":{\"body\":\"hi\"},\"ref\":\"k3x9q2mv:46\"}");
  }

  @Test
  void encodesErrorRepliesWithEscapes() {
    ReplyMessage reply =
        new ReplyMessage(null, "4", "room:\"q\"", "error", Payload.parse("{\"reason\":\"line\\nbreak\"}"));
    assertThat(v1.encodeReply(reply).text())
        .isEqualTo("{\"topic\":\"room:\\\"q\\\"\",\"event\":\"phx_reply\","
            + "\"payload\":{\"status\":\"error\",\"response\":{\"reason\":\"line\\nbreak\"}},\"ref\":\"4\"}");
  }

  @Test
  void refusesBinaryPayloads() {
    Payload bin = Payload.binary(new byte[] {1, 2, 3});
    assertThatThrownBy(() -> v1.encodePush(new Message("1", null, "t", "e", bin)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v1.encodeReply(new ReplyMessage("1", "2", "t", "ok", bin)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> v1.encodeBroadcast(new Broadcast("t", "e", bin)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roundTripsItsOwnOutput() {
    Message push = new Message(null, "9", "room:1", "ev", Payload.parse("{\"n\":[1,2.5,true,null]}"));
    assertThat(v1.decode(v1.encodePush(push))).isEqualTo(push);
  }
}
