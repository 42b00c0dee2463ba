package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** V2 JSON array text frames. Binary layouts are in {@link V2BinaryTest}. */
class V2JsonSerializerTest {
  private final Serializer v2 = V2JsonSerializer.INSTANCE;

  private Message decode(String text) {
    return v2.decode(Frame.text(text));
  }

  private static Payload json(String text) {
    return Payload.parse(text);
  }

  @Test
  void decodesTheNpmClientFrames() {
    assertThat(decode("[\"3\",\"3\",\"room:lobby\",\"phx_join\",{\"token\":\"abc\"}]"))
        .isEqualTo(new Message("3", "3", "room:lobby", "phx_join", json("{\"token\":\"abc\"}")));
    assertThat(decode("[null,\"5\",\"phoenix\",\"heartbeat\",{}]"))
        .isEqualTo(new Message(null, "5", "phoenix", "heartbeat", Payload.empty()));
    assertThat(decode("[\"3\",\"6\",\"room:lobby\",\"new_msg\",{\"body\":\"hi\"}]"))
        .isEqualTo(new Message("3", "6", "room:lobby", "new_msg", json("{\"body\":\"hi\"}")));
    assertThat(decode("[\"3\",\"7\",\"room:lobby\",\"phx_leave\",{}]"))
        .isEqualTo(new Message("3", "7", "room:lobby", "phx_leave", Payload.empty()));
  }

  @Test
  void ignoresExtraElementsAndWhitespace() {
    assertThat(decode(" [ null , null , \"t\" , \"e\" , {} , [1,{\"x\":[]}], \"more\", 4 ] \n"))
        .isEqualTo(new Message(null, null, "t", "e", Payload.empty()));
  }

  @Test
  void keepsNumericRefsAsTheirDecimalText() {
    Message m = decode("[12,345,\"t\",\"e\",{}]");
    assertThat(m.joinRef()).isEqualTo("12");
    assertThat(m.ref()).isEqualTo("345");
    assertThat(decode("[null,-0.5,\"t\",\"e\",{}]").ref()).isEqualTo("-0.5");
  }

  @Test
  void acceptsAnyJsonPayload() {
    assertThat(decode("[null,\"1\",\"t\",\"e\",[1,2]]").payload()).isEqualTo(json("[1,2]"));
    assertThat(decode("[null,\"1\",\"t\",\"e\",null]").payload().json().isNull()).isTrue();
    assertThat(decode("[null,\"1\",\"t\",\"e\",\"s\"]").payload().json().stringValue()).isEqualTo("s");
  }

  @Test
  void decodesUnicode() {
    Message m = decode("[\"1\",\"2\",\"chat:日本語\",\"msg\",{\"text\":\"😀 \\u00e9\"}]");
    assertThat(m.topic()).isEqualTo("chat:日本語");
    assertThat(m.payload().string("text")).isEqualTo("😀 é");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[null,\"5\",\"phoenix\",\"heartbeat\"]", // 4 elements
        "[]",
        "[null]",
        "{\"topic\":\"t\",\"event\":\"e\",\"payload\":{},\"ref\":\"1\"}", // a V1 frame
        "\"x\"",
        "null",
        "",
        "[null,\"5\",\"phoenix\",\"heartbeat\",{}",
        "[null,\"5\",\"phoenix\",\"heartbeat\",{}]]",
        "[null,\"5\",\"phoenix\",\"heartbeat\",{}] []",
        "[null,\"5\",\"phoenix\",\"heartbeat\",{},]",
        "[null,\"5\",phoenix,\"heartbeat\",{}]",
        "[null,\"5\",1,\"heartbeat\",{}]",
        "[null,\"5\",null,\"heartbeat\",{}]",
        "[null,\"5\",\"phoenix\",{},{}]",
        "[null,\"5\",\"phoenix\",false,{}]",
        "[true,\"5\",\"phoenix\",\"heartbeat\",{}]",
        "[null,[\"5\"],\"phoenix\",\"heartbeat\",{}]",
        "[null,{\"r\":1},\"phoenix\",\"heartbeat\",{}]"
      })
  void rejectsMalformedText(String text) {
    assertThatThrownBy(() -> decode(text)).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void tooShortArraysSayHowManyElementsCame() {
    assertThatThrownBy(() -> decode("[null,\"5\",\"phoenix\"]"))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessageContaining("at least 5")
        .hasMessageContaining("got 3");
  }

  @Test
  void rejectsInvalidUtf8Utf16AndByteOrderMarks() {
    byte[] badUtf8 = "[null,\"5\",\"t\",\"X\",{}]".getBytes(StandardCharsets.UTF_8);
    badUtf8[15] = (byte) 0xC3; // a lone lead byte inside the event string
    assertThatThrownBy(() -> v2.decode(new Frame(false, badUtf8))).isInstanceOf(MalformedFrameException.class);
    byte[] utf16 = "[null,\"5\",\"t\",\"e\",{}]".getBytes(StandardCharsets.UTF_16LE);
    assertThatThrownBy(() -> v2.decode(new Frame(false, utf16))).isInstanceOf(MalformedFrameException.class);
    byte[] bom = "\uFEFF[null,\"5\",\"t\",\"e\",{}]".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> v2.decode(new Frame(false, bom))).isInstanceOf(MalformedFrameException.class);
  }

  @Test
  void encodesHeartbeatAndJoinReplies() {
    assertThat(v2.encodeReply(new ReplyMessage(null, "5", "phoenix", "ok", Payload.empty())).text())
        .isEqualTo("[null,\"5\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(v2.encodeReply(new ReplyMessage("3", "3", "room:1", "ok", Payload.empty())).text())
        .isEqualTo("[\"3\",\"3\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(v2.encodeReply(new ReplyMessage("3", "9", "room:1", "ok", json("{\"id\":7}"))).text())
        .isEqualTo("[\"3\",\"9\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"id\":7}}]");
    ReplyMessage unmatched = new ReplyMessage(null, "4", "nope", "error", json("{\"reason\":\"unmatched topic\"}"));
    assertThat(v2.encodeReply(unmatched).text())
        .isEqualTo("[null,\"4\",\"nope\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"unmatched topic\"}}]");
    assertThat(v2.encodeReply(unmatched).binary()).isFalse();
  }

  @Test
  void encodesPushesCloseAndError() {
    assertThat(v2.encodePush(new Message("3", null, "room:1", "new_msg", json("{\"body\":\"hi\"}"))).text())
        .isEqualTo("[\"3\",null,\"room:1\",\"new_msg\",{\"body\":\"hi\"}]");
    assertThat(v2.encodePush(new Message("3", "3", "room:1", "phx_close", Payload.empty())).text())
        .isEqualTo("[\"3\",\"3\",\"room:1\",\"phx_close\",{}]");
    assertThat(v2.encodePush(new Message("3", "3", "room:1", "phx_error", json("{\"reason\":\"channel_crash\"}"))).text())
        .isEqualTo("[\"3\",\"3\",\"room:1\",\"phx_error\",{\"reason\":\"channel_crash\"}]");
    // A V2 client that joined with a null join_ref gets nulls on close.
    assertThat(v2.encodePush(new Message(null, null, "room:1", "phx_close", Payload.empty())).text())
        .isEqualTo("[null,null,\"room:1\",\"phx_close\",{}]");
  }

  @Test
  void encodesFastlaneBroadcasts() {
    Frame frame = v2.encodeBroadcast(new Broadcast("room:1", "new_msg", json("{\"body\":\"hi\"}")));
    assertThat(frame.binary()).isFalse();
    assertThat(frame.text()).isEqualTo("[null,null,\"room:1\",\"new_msg\",{\"body\":\"hi\"}]");
  }

  @Test
  void aRecordedBroadcastCarriesItsPositionAsTheRefAndABinaryOneCannot() {
    Frame frame = v2.encodeBroadcast(new Broadcast("room:1", "new_msg", json("{\"body\":\"hi\"}")), "k3x9q2mv:46");
    assertThat(frame.text()).isEqualTo("[null,\"k3x9q2mv:46\",\"room:1\",\"new_msg\",{\"body\":\"hi\"}]");
    assertThatThrownBy(() -> v2.encodeBroadcast(new Broadcast("room:1", "blob", Payload.binary(new byte[] {1})), "e:1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void writesUnicodeAsRawUtf8WithJsonEscapes() {
    Frame frame = v2.encodeBroadcast(new Broadcast("chat:日本", "m", json("{\"t\":\"é😀\\t\\\"/\"}")));
    assertThat(frame.text()).isEqualTo("[null,null,\"chat:日本\",\"m\",{\"t\":\"é😀\\t\\\"/\"}]");
    assertThat(Hex.of(frame.bytes())).contains("e6 97 a5 e6 9c ac").contains("f0 9f 98 80");
  }

  @Test
  void encodesNestedAndScalarPayloads() {
    Payload nested = json("{\"a\":{\"b\":[1,-2.5,true,false,null,\"x\"]},\"big\":12345678901234567890}");
    assertThat(v2.encodePush(new Message("1", null, "t", "e", nested)).text())
        .isEqualTo("[\"1\",null,\"t\",\"e\",{\"a\":{\"b\":[1,-2.5,true,false,null,\"x\"]},\"big\":12345678901234567890}]");
  }

  @Test
  void roundTripsItsOwnOutput() {
    Message push = new Message("3", "6", "room:lobby", "new_msg", json("{\"body\":\"hi ☕\"}"));
    assertThat(v2.decode(v2.encodePush(push))).isEqualTo(push);
  }

  /** A reply or push whose payload is a client's JSON text: written without the generator when its strings are plain. */
  @Test
  void repliesAndPushesWithAClientsPayloadAreTheGeneratorsBytes() {
    Payload clients = decode("[\"3\",\"7\",\"room:lobby\",\"ping\",{\"n\": 1, \"s\":\"é\\\"\"}]").payload();
    Payload sameAsTree = json("{\"n\":1,\"s\":\"é\\\"\"}");

    String reply = text(v2.encodeReply(new ReplyMessage("3", "7", "room:lobby", "ok", clients)));
    assertThat(reply).isEqualTo("[\"3\",\"7\",\"room:lobby\",\"phx_reply\",{\"status\":\"ok\",\"response\":"
        + "{\"n\": 1, \"s\":\"é\\\"\"}}]");
    assertThat(json(reply)).isEqualTo(json(text(v2.encodeReply(new ReplyMessage("3", "7", "room:lobby", "ok", sameAsTree)))));
    assertThat(text(v2.encodeReply(new ReplyMessage(null, null, "t", "error", clients))))
        .startsWith("[null,null,\"t\",\"phx_reply\",{\"status\":\"error\",\"response\":{");
    assertThat(text(v2.encodePush(new Message(null, "9", "room:lobby", "new_msg", clients))))
        .isEqualTo("[null,\"9\",\"room:lobby\",\"new_msg\",{\"n\": 1, \"s\":\"é\\\"\"}]");
  }

  /** Strings that need escaping (a quote, a backslash, a control character) or are not ASCII go through the generator. */
  @ParameterizedTest
  @ValueSource(strings = {"room:\"quoted\"", "back\\slash", "tab\there", "chat:日本語", "del\u007f"})
  void stringsThatNeedEscapingAreEscaped(String topic) {
    Payload clients = decode("[null,\"1\",\"t\",\"e\",{\"a\":1}]").payload();
    String reply = text(v2.encodeReply(new ReplyMessage(topic, "1", topic, topic, clients)));
    String push = text(v2.encodePush(new Message(topic, "1", topic, topic, clients)));

    Message repliedBack = decode(reply);
    assertThat(repliedBack.joinRef()).isEqualTo(topic);
    assertThat(repliedBack.topic()).isEqualTo(topic);
    assertThat(repliedBack.payload()).isEqualTo(json("{\"status\":" + Payload.of(topic).json() + ",\"response\":{\"a\":1}}"));
    assertThat(decode(push)).isEqualTo(new Message(topic, "1", topic, topic, json("{\"a\":1}")));
  }

  private static String text(Frame frame) {
    return new String(frame.bytes(), StandardCharsets.UTF_8);
  }
}
