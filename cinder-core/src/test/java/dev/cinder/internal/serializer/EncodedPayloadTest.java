package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A payload already encoded (a shared presence_state) is framed byte for byte as the same payload as a tree. */
class EncodedPayloadTest {
  private static final String JSON =
      "{\"al\\\"ice\":{\"metas\":[{\"online_at\":1764800000,\"phx_ref\":\"F5nR6Lq3Xb0xkgbB\",\"name\":\"\u00e9\u2603\"}]},\"bob\":{\"metas\":[]}}";

  private static Payload encoded() {
    return EncodedJson.payload(JSON.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void v2FramesItAsTheSameTree() {
    Serializer v2 = V2JsonSerializer.INSTANCE;
    Message asTree = new Message("3", null, "room:1", "presence_state", Payload.parse(JSON));
    Message asBytes = new Message("3", null, "room:1", "presence_state", encoded());
    assertThat(v2.encodePush(asBytes).text()).isEqualTo(v2.encodePush(asTree).text());
    assertThat(v2.encodeBroadcast(new Broadcast("room:1", "presence_state", encoded())).text())
        .isEqualTo(v2.encodeBroadcast(new Broadcast("room:1", "presence_state", Payload.parse(JSON))).text());
    assertThat(v2.encodePush(new Message(null, null, "r", "e", EncodedJson.payload("{}".getBytes(StandardCharsets.UTF_8)))).text())
        .isEqualTo("[null,null,\"r\",\"e\",{}]");
  }

  @Test
  void v1FramesItAsTheSameTree() {
    Serializer v1 = V1JsonSerializer.INSTANCE;
    Message asTree = new Message(null, null, "room:1", "presence_state", Payload.parse(JSON));
    Message asBytes = new Message(null, null, "room:1", "presence_state", encoded());
    assertThat(v1.encodePush(asBytes).text()).isEqualTo(v1.encodePush(asTree).text());
  }

  @Test
  void theEncodedBytesAreTheirOwnJsonValue() {
    assertThat(EncodedJson.bytesOf(encoded())).isEqualTo(JSON.getBytes(StandardCharsets.UTF_8));
    assertThat(EncodedJson.bytesOf(Payload.parse(JSON))).isNull();
    assertThat(encoded().toString()).isEqualTo(JSON);
  }
}
