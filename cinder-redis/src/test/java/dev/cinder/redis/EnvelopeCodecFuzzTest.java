package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.Broadcast;

/**
 * Coverage-guided fuzz test of the Redis envelope decoder, which reads every message on the cluster's channels
 * (docs/fuzzing.md). Each input is one Redis message. The header and the payload either decode or throw
 * {@link MalformedEnvelopeException}; anything else is a finding. A decoded envelope encodes and decodes to itself.
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/redis/EnvelopeCodecFuzzTestInputs/envelope/}.
 */
class EnvelopeCodecFuzzTest {
  @FuzzTest
  void envelope(byte[] message) {
    Envelope envelope;
    Broadcast broadcast;
    try {
      envelope = EnvelopeCodec.decode(message);
      assertThat(envelope.origin()).isNotNull();
      assertThat(envelope.topic()).isNotNull();
      assertThat(envelope.event()).isNotNull();
      broadcast = envelope.broadcast();
    } catch (MalformedEnvelopeException refused) {
      return;
    }
    assertThat(broadcast.payload()).isNotNull();
    Envelope again = EnvelopeCodec.decode(EnvelopeCodec.encode(envelope.origin(), envelope.target(), broadcast));
    assertThat(again.origin()).isEqualTo(envelope.origin());
    assertThat(again.target()).isEqualTo(envelope.target());
    assertThat(again.broadcast()).isEqualTo(broadcast);
  }
}
