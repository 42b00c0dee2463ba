package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import org.junit.jupiter.api.Test;

/**
 * A client's payload is kept as the text it came as: checked when the frame is read, copied as written into an
 * echo or a broadcast, and parsed into a tree only when the application reads it.
 */
class ClientPayloadTextTest {
  private static final String AS_WRITTEN = "{ \"body\" : \"caf\\u00e9 \\\"x\\\"\", \"n\":1.50, \"list\":[1e3, null] }";

  private static Payload v2Payload(String payloadJson) {
    return V2JsonSerializer.INSTANCE.decode(Frame.text("[\"1\",\"2\",\"room:1\",\"ping\"," + payloadJson + "]")).payload();
  }

  @Test
  void anEchoAndABroadcastCarryThePayloadAsTheClientWroteIt() {
    Payload payload = v2Payload(AS_WRITTEN);

    assertThat(payload.toString()).isEqualTo(AS_WRITTEN);
    assertThat(V2JsonSerializer.INSTANCE.encodeReply(new ReplyMessage("1", "2", "room:1", "ok", payload)).text())
        .isEqualTo("[\"1\",\"2\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":" + AS_WRITTEN + "}]");
    assertThat(V2JsonSerializer.INSTANCE.encodeBroadcast(new Broadcast("room:1", "new_msg", payload)).text())
        .isEqualTo("[null,null,\"room:1\",\"new_msg\"," + AS_WRITTEN + "]");
    assertThat(V1JsonSerializer.INSTANCE.encodeBroadcast(new Broadcast("room:1", "new_msg", payload)).text())
        .isEqualTo("{\"topic\":\"room:1\",\"event\":\"new_msg\",\"payload\":" + AS_WRITTEN + ",\"ref\":null}");
  }

  @Test
  void theApplicationReadsTheSameValuesAsFromATree() {
    Payload payload = v2Payload(AS_WRITTEN);
    Payload tree = Payload.parse(AS_WRITTEN);

    assertThat(payload.isObject()).isTrue();
    assertThat(payload.string("body")).isEqualTo("café \"x\"");
    assertThat(payload.json().get("n").doubleValue()).isEqualTo(1.5);
    assertThat(payload.json()).isEqualTo(tree.json());
    assertThat(payload).isEqualTo(tree).hasSameHashCodeAs(tree);
    assertThat(payload.as(Body.class)).isEqualTo(new Body("café \"x\"", 1.5));
    assertThat(payload.with("extra", 1).json().get("extra").intValue()).isEqualTo(1);
  }

  record Body(String body, double n) {}

  record Exact(java.math.BigDecimal n) {}

  @Test
  void asGivesTheSameNumbersForTextAsForATree() {
    String json = "{\"n\":0.1000000000000000000000001}";
    assertThat(v2Payload(json).as(Exact.class)).isEqualTo(Payload.parse(json).as(Exact.class));
  }

  @Test
  void aV1PayloadIsKeptAsWrittenToo() {
    Message message = V1JsonSerializer.INSTANCE.decode(
        Frame.text("{\"topic\":\"room:1\",\"event\":\"ping\",\"payload\":" + AS_WRITTEN + ",\"ref\":\"7\"}"));
    assertThat(message.payload().toString()).isEqualTo(AS_WRITTEN);
    assertThat(message.payload().string("body")).isEqualTo("café \"x\"");
  }

  @Test
  void payloadsThatAreNotObjectsKeepTheirTextAndValue() {
    assertThat(v2Payload("\"a\\\"b\"").toString()).isEqualTo("\"a\\\"b\"");
    assertThat(v2Payload("\"a\\\"b\"").json().stringValue()).isEqualTo("a\"b");
    assertThat(v2Payload("-12").json().intValue()).isEqualTo(-12);
    assertThat(v2Payload("true").json().booleanValue()).isTrue();
    assertThat(v2Payload("null").json().isNull()).isTrue();
    assertThat(v2Payload("[1, {}]").isObject()).isFalse();
    assertThat(v2Payload(" [1, {}] ").toString()).isEqualTo("[1, {}]");
  }

  @Test
  void numbersBeyondADoubleAndInvalidJsonAreStillRefusedWhenTheFrameIsRead() {
    for (String bad : new String[] {"{\"a\":[1e400]}", "-2.5e37890", "{\"a\":01}", "{\"a\":\"\u0001\"}", "{\"a\":1,}"}) {
      assertThatThrownBy(() -> v2Payload(bad)).as(bad).isInstanceOf(MalformedFrameException.class);
      assertThatThrownBy(() -> V1JsonSerializer.INSTANCE.decode(
          Frame.text("{\"topic\":\"t\",\"event\":\"e\",\"payload\":" + bad + ",\"ref\":null}")))
          .as(bad).isInstanceOf(MalformedFrameException.class);
    }
    assertThat(v2Payload("{\"a\":1.7976931348623157e308}").json().get("a").doubleValue()).isEqualTo(Double.MAX_VALUE);
  }
}
