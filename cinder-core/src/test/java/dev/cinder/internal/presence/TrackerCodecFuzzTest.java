package dev.cinder.internal.presence;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.Payload;
import dev.cinder.internal.Json;
import dev.cinder.internal.presence.TrackerMessage.Heartbeat;
import dev.cinder.internal.presence.TrackerMessage.TransferAck;
import dev.cinder.internal.presence.TrackerMessage.TransferReq;
import java.nio.charset.StandardCharsets;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * Coverage-guided fuzz test of the tracker codec, which reads what peers publish on the presence topic
 * (docs/fuzzing.md). An input is the event name, a newline, then the JSON payload. A decode returns a message
 * every part of the tracker can use, or throws {@link IllegalArgumentException}; anything else is a finding.
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/presence/tracker/TrackerCodecFuzzTestInputs/trackerMessage/}.
 */
class TrackerCodecFuzzTest {
  @FuzzTest
  void trackerMessage(byte[] data) {
    String text = new String(data, StandardCharsets.UTF_8);
    int newline = text.indexOf('\n');
    if (newline < 0) {
      return;
    }
    String event = text.substring(0, newline);
    Payload payload;
    try {
      JsonNode json = Json.MAPPER.readTree(text.substring(newline + 1));
      if (json == null || json.isMissingNode()) {
        return;
      }
      payload = Payload.json(json);
    } catch (JacksonException notJson) {
      return; // the PubSub layer hands the tracker parsed JSON only
    }
    TrackerMessage m;
    try {
      m = TrackerCodec.decode(event, payload);
    } catch (IllegalArgumentException refused) {
      return;
    }
    assertUsable(m);
    // The tracker routes on recipient(), so it must name the replica the decoded message is for.
    switch (m) {
      case TransferReq r -> assertThat(TrackerCodec.recipient(payload)).isEqualTo(r.to());
      case TransferAck a -> assertThat(TrackerCodec.recipient(payload)).isEqualTo(a.to());
      default -> {}
    }
    assertThat(TrackerCodec.decode(TrackerCodec.event(m), TrackerCodec.encode(m))).isEqualTo(m);
  }

  /** What the tracker and presence code rely on: names, topics, keys and metas with a string phx_ref. */
  private static void assertUsable(TrackerMessage m) {
    assertThat(m.from()).isNotNull();
    switch (m) {
      case Heartbeat h -> {
        assertThat(h.clocks()).isNotNull().doesNotContainValue(null);
        if (h.delta() != null) {
          assertThat(h.delta().replica()).isEqualTo(h.from());
          assertElements(h.delta().adds());
          assertThat(h.delta().removes()).doesNotContainNull();
        }
      }
      case TransferReq r -> assertThat(r.context()).isNotNull().doesNotContainValue(null);
      case TransferAck a -> {
        assertThat(a.state().context()).isNotNull().doesNotContainValue(null);
        assertElements(a.state().elements());
        for (Element e : a.state().elements()) {
          assertThat(a.state().context()).containsKey(e.replica());
        }
      }
      default -> {}
    }
  }

  private static void assertElements(List<Element> elements) {
    for (Element e : elements) {
      assertThat(e.replica()).isNotNull();
      assertThat(e.topic()).isNotNull();
      assertThat(e.key()).isNotNull();
      assertThat(e.meta()).isNotNull();
      assertThat(e.meta().get(Element.PHX_REF)).isInstanceOf(String.class);
    }
  }
}
