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
    assertRejected(new byte[] {1, 8, 1, 'a', 1, 't', 1, 'e'}); // unknown flag
    assertRejected(new byte[] {1, 0, 5, 'a'}); // string longer than the message
    assertRejected(new byte[] {1, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}); // endless varint
    assertRejected(new byte[] {1, 0, 1, (byte) 0xc3, 1, 't', 1, 'e'}); // not UTF-8
    assertRejected(Arrays.copyOf(good, good.length - 1)); // payload cut short: invalid JSON
    assertRejected(new byte[] {1, 0, 1, 'a', 1, 't', 1, 'e'}); // JSON payload missing
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
