package dev.cinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a payload without Jackson's tree: typed fields, a record, plain maps. */
class PayloadAccessorsTest {
  record Message(String body, int count, boolean pinned) {}

  private final Payload payload =
      Payload.parse("{\"body\":\"hi\",\"count\":3,\"pinned\":true,\"tags\":[\"a\",\"b\"],\"big\":1.5,\"none\":null}");

  @Test
  void typedFieldsAreNullWhenAbsentOrOfAnotherType() {
    assertThat(payload.string("body")).isEqualTo("hi");
    assertThat(payload.integer("count")).isEqualTo(3L);
    assertThat(payload.bool("pinned")).isTrue();
    assertThat(payload.integer("big")).isNull();
    assertThat(payload.integer("body")).isNull();
    assertThat(payload.bool("count")).isNull();
    assertThat(payload.string("missing")).isNull();
    assertThat(payload.integer("none")).isNull();
  }

  @Test
  void convertsToARecordAndToPlainMaps() {
    Message message = Payload.of(Map.of("body", "hi", "count", 3, "pinned", true)).as(Message.class);
    assertThat(message).isEqualTo(new Message("hi", 3, true));
    Map<String, Object> map = payload.toMap();
    assertThat(map).containsEntry("body", "hi").containsEntry("count", 3).containsEntry("tags", List.of("a", "b"))
        .containsEntry("none", null);
  }

  @Test
  void refusesWhatDoesNotFit() {
    assertThatThrownBy(() -> Payload.parse("{\"count\":\"many\"}").as(Message.class))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Message.class.getName());
    assertThatThrownBy(() -> Payload.binary(new byte[] {1}).as(Message.class)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Payload.parse("[1]").toMap()).isInstanceOf(IllegalStateException.class);
  }
}
