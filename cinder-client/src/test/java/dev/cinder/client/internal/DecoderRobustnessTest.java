package dev.cinder.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Random and mutated frames: each is decoded or refused with a MalformedFrameException, never anything else. */
class DecoderRobustnessTest {
  private static final String[] VALID = {
      "[\"3\",\"9\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"id\":7}}]",
      "[null,\"k3x9q2mv:44\",\"room:lobby\",\"new_msg\",{\"body\":\"missed\",\"n\":[1,2.5,-3e10,true,null]}]",
      "{\"topic\":\"room:1\",\"event\":\"phx_close\",\"payload\":{},\"ref\":\"3\"}"};
  private final JsonMapper mapper = JsonMapper.builder().build();
  private final FrameCodec[] codecs = {new V2Codec(mapper), new V1Codec(mapper)};

  @Test
  void randomBinaryFramesNeverThrowAnythingElse() {
    Random random = new Random(20261204);
    int decoded = 0;
    for (int i = 0; i < 5_000; i++) {
      byte[] frame = new byte[random.nextInt(40)];
      random.nextBytes(frame);
      boolean ascii = random.nextInt(5) > 0;
      for (int b = 0; b < frame.length; b++) {
        if (b == 0) {
          frame[b] = (byte) random.nextInt(4); // mostly known kinds, so that the field parsing is exercised
        } else if (b <= 4) {
          frame[b] = (byte) random.nextInt(random.nextBoolean() ? 6 : 256); // mostly short fields
        } else if (ascii) {
          frame[b] &= 0x7f;
        }
      }
      for (FrameCodec codec : codecs) {
        decoded += decodes(() -> codec.decodeBinary(ByteBuffer.wrap(frame))) ? 1 : 0;
      }
    }
    assertThat(decoded).as("some random frames are well-formed").isPositive();
  }

  @Test
  void mutatedTextFramesNeverThrowAnythingElse() {
    Random random = new Random(4);
    String alphabet = "[]{}\",:0123456789.eE+-nulltruefalse \\u00e9\ud83d\ude00";
    int decoded = 0;
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder(VALID[random.nextInt(VALID.length)]);
      for (int m = random.nextInt(4); m >= 0 && text.length() > 0; m--) {
        int at = random.nextInt(text.length());
        switch (random.nextInt(3)) {
          case 0 -> text.deleteCharAt(at);
          case 1 -> text.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
          default -> text.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
        }
      }
      String frame = text.toString();
      for (FrameCodec codec : codecs) {
        decoded += decodes(() -> codec.decodeText(frame)) ? 1 : 0;
      }
    }
    assertThat(decoded).as("some mutations stay well-formed").isPositive();
  }

  private interface Decode {
    Frame run() throws MalformedFrameException;
  }

  /** True when decoded, false when refused; any other exception fails the test. */
  private static boolean decodes(Decode decode) {
    try {
      Frame frame = decode.run();
      assertThat(frame.topic()).isNotNull();
      assertThat(frame.event()).isNotNull();
      return true;
    } catch (MalformedFrameException refused) {
      assertThat(refused.getMessage()).isNotBlank();
      return false;
    }
  }
}
