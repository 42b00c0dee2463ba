package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EnvelopeCodecTest {
  @Test
  void aJsonBroadcastToAllHasTheDocumentedLayout() {
    Broadcast broadcast = new Broadcast("room:1", "new_msg", Payload.of(Map.of("body", "hi")));

    byte[] bytes = EnvelopeCodec.encode("a", null, broadcast);

    byte[] expected = ("\u0001\u0000" + "\u0001a" + "\u0006room:1" + "\u0007new_msg" + "{\"body\":\"hi\"}")
        .getBytes(StandardCharsets.UTF_8);
    assertThat(bytes).isEqualTo(expected);
    Envelope envelope = EnvelopeCodec.decode(bytes);
    assertThat(envelope.origin()).isEqualTo("a");
    assertThat(envelope.target()).isNull();
    assertThat(envelope.broadcast()).isEqualTo(broadcast);
  }

  @Test
  void aTraceTravelsBetweenTheEventAndThePayload() {
    Broadcast broadcast = new Broadcast("room:1", "new_msg", Payload.of(Map.of("body", "hi")));
    Map<String, String> trace = Map.of("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

    byte[] bytes = EnvelopeCodec.encode("a", null, broadcast, trace);

    byte[] expected = ("\u0001\u0008" + "\u0001a" + "\u0006room:1" + "\u0007new_msg" + "\u0001"
        + "\u000btraceparent" + "\u003700-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
        + "{\"body\":\"hi\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(bytes).isEqualTo(expected);
    Envelope envelope = EnvelopeCodec.decode(bytes);
    assertThat(envelope.trace()).isEqualTo(trace);
    assertThat(envelope.broadcast()).isEqualTo(broadcast);
  }

  @Test
  void withoutATraceTheEnvelopeIsUnchanged() {
    Broadcast broadcast = new Broadcast("room:1", "new_msg", Payload.of(Map.of("body", "hi")));
    byte[] plain = EnvelopeCodec.encode("a", "b", broadcast);
    assertThat(EnvelopeCodec.encode("a", "b", broadcast, null)).isEqualTo(plain);
    assertThat(EnvelopeCodec.encode("a", "b", broadcast, Map.of())).isEqualTo(plain);
    assertThat(EnvelopeCodec.decode(plain).trace()).isNull();
    assertThat(EnvelopeCodec.recordedParts("a", 7, broadcast, null)[0])
        .isEqualTo(EnvelopeCodec.recordedParts("a", 7, broadcast)[0]);
  }

  @Test
  void aRecordedBroadcastCarriesItsTraceBeforeItsPosition() {
    Broadcast broadcast = new Broadcast("room:1", "e", Payload.of(Map.of("k", 1)));
    Map<String, String> trace = new java.util.LinkedHashMap<>();
    trace.put("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
    trace.put("tracestate", "vendor=1");
    byte[][] parts = EnvelopeCodec.recordedParts("a", 7, broadcast, trace);
    // Redis puts the epoch and offset between the head and the payload, as the append script does.
    byte[] position = "\u0002ep\u000242".getBytes(StandardCharsets.UTF_8);
    byte[] message = new byte[parts[0].length + position.length + parts[1].length];
    System.arraycopy(parts[0], 0, message, 0, parts[0].length);
    System.arraycopy(position, 0, message, parts[0].length, position.length);
    System.arraycopy(parts[1], 0, message, parts[0].length + position.length, parts[1].length);

    Envelope envelope = EnvelopeCodec.decode(message);

    assertThat(envelope.trace()).containsExactlyEntriesOf(trace);
    assertThat(envelope.sequence()).isEqualTo(7);
    assertThat(envelope.position().toString()).isEqualTo("ep:42");
    assertThat(envelope.broadcast()).isEqualTo(broadcast);
  }

  @Test
  void aDirectedBinaryBroadcastRoundTrips() {
    byte[] data = {0, 1, (byte) 0xff, 10, 13};
    Broadcast broadcast = new Broadcast("phx_presence:Tracker_shard0", "transfer_ack", Payload.binary(data));

    Envelope envelope = EnvelopeCodec.decode(EnvelopeCodec.encode("node-α", "node-β", broadcast));

    assertThat(envelope.origin()).isEqualTo("node-α");
    assertThat(envelope.target()).isEqualTo("node-β");
    assertThat(envelope.topic()).isEqualTo("phx_presence:Tracker_shard0");
    assertThat(envelope.broadcast().payload().bytes()).isEqualTo(data);
  }

  @Test
  void longNamesUseMultiByteLengths() {
    String topic = "room:" + "x".repeat(300);
    Envelope envelope = EnvelopeCodec.decode(EnvelopeCodec.encode("a", null, new Broadcast(topic, "e", Payload.empty())));
    assertThat(envelope.topic()).isEqualTo(topic);
    assertThat(envelope.broadcast().payload()).isEqualTo(Payload.empty());
  }

  @Test
  void malformedMessagesAreRejectedWithOneExceptionType() {
    byte[] good = EnvelopeCodec.encode("a", null, new Broadcast("t", "e", Payload.of(Map.of("k", 1))));
    assertRejected(new byte[0]);
    assertRejected(new byte[] {1});
    assertRejected(new byte[] {2, 0, 1, 'a', 1, 't', 1, 'e'}); // unknown version
    assertRejected(new byte[] {1, 16, 1, 'a', 1, 't', 1, 'e'}); // unknown flag
    assertRejected(new byte[] {1, 8, 1, 'a', 1, 't', 1, 'e'}); // traced, but no trace follows
    assertRejected(new byte[] {1, 8, 1, 'a', 1, 't', 1, 'e', 0}); // a trace of no fields
    assertRejected(new byte[] {1, 8, 1, 'a', 1, 't', 1, 'e', 17}); // more trace fields than carried
    assertRejected(new byte[] {1, 8, 1, 'a', 1, 't', 1, 'e', 1, 1, 'k'}); // a field without its value
    assertRejected(new byte[] {1, 0, 5, 'a'}); // string longer than the message
    assertRejected(new byte[] {1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // endless varint
    assertRejected(new byte[] {1, 0, 1, (byte) 0xc3, 1, 't', 1, 'e'}); // not UTF-8
    assertRejected(Arrays.copyOf(good, good.length - 1)); // payload cut short: invalid JSON
    assertRejected(new byte[] {1, 0, 1, 'a', 1, 't', 1, 'e'}); // JSON payload missing
  }

  @Test
  void aPeersJsonPayloadIsKeptAsItsTextAndCheckedLikeAClients() {
    byte[] header = "\u0001\u0000\u0001a\u0001t\u0001e".getBytes(StandardCharsets.UTF_8);
    String json = "{ \"body\" : \"caf\\u00e9\" }";
    byte[] message = concat(header, json);

    Payload payload = EnvelopeCodec.decode(message).broadcast().payload();

    assertThat(payload.toString()).isEqualTo(json);
    assertThat(payload.string("body")).isEqualTo("café");
    assertThat(EnvelopeCodec.encode("b", null, new Broadcast("t", "e", payload)))
        .endsWith(json.getBytes(StandardCharsets.UTF_8)); // forwarded as the same bytes
    assertRejected(concat(header, "{\"a\":1e400}")); // would become an infinity JSON cannot carry
    assertRejected(concat(header, "{} {}")); // trailing data
    assertRejected(concat(header, "   "));
    byte[] utf16 = "{\"a\":1}".getBytes(StandardCharsets.UTF_16LE); // was once passed on as an empty value
    byte[] withUtf16 = Arrays.copyOf(header, header.length + utf16.length);
    System.arraycopy(utf16, 0, withUtf16, header.length, utf16.length);
    assertRejected(withUtf16);
  }

  private static byte[] concat(byte[] header, String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    byte[] all = Arrays.copyOf(header, header.length + body.length);
    System.arraycopy(body, 0, all, header.length, body.length);
    return all;
  }

  @Test
  void randomBytesNeverThrowAnythingElse() {
    Random random = new Random(7);
    for (int i = 0; i < 20_000; i++) {
      byte[] bytes = new byte[random.nextInt(40)];
      random.nextBytes(bytes);
      if (bytes.length > 0 && random.nextBoolean()) {
        bytes[0] = 1; // get past the version check now and then
      }
      try {
        EnvelopeCodec.decode(bytes).broadcast();
      } catch (MalformedEnvelopeException expected) {
        // the only exception allowed
      }
    }
  }

  private static void assertRejected(byte[] bytes) {
    assertThatThrownBy(() -> EnvelopeCodec.decode(bytes).broadcast()).isInstanceOf(MalformedEnvelopeException.class);
  }
}
