package dev.cinder.internal.netty.longpoll;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.internal.serializer.MalformedFrameException;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.internal.serializer.V1JsonSerializer;
import dev.cinder.internal.serializer.V2JsonSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Coverage-guided fuzz test of long-poll POST bodies (docs/fuzzing.md). The first byte of an input picks the
 * client: {@code n} an ndjson batch of protocol 2.0.0 (the official client), {@code 1} a plain 1.0.0 body, anything
 * else a plain 2.0.0 body; the rest is the body, read as UTF-8 as the transport does. A body decodes whole, or is
 * refused with {@link MalformedFrameException} or {@link IllegalArgumentException} (the 400 answer); anything
 * else thrown is a finding.
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/internal/netty/longpoll/LongPollPostFuzzTestInputs/longPollBody/}.
 */
class LongPollPostFuzzTest {
  private static final int MAX_FRAME = 1024; // the smallest allowed, so the fuzzer meets the limit

  @FuzzTest
  void longPollBody(byte[] data) {
    if (data.length == 0) {
      return;
    }
    boolean ndjson = data[0] == 'n';
    Serializer serializer = data[0] == '1' ? V1JsonSerializer.INSTANCE : V2JsonSerializer.INSTANCE;
    String body = new String(data, 1, data.length - 1, StandardCharsets.UTF_8);
    List<Message> messages;
    try {
      messages = LongPollPost.decode(body, ndjson, MAX_FRAME, serializer);
    } catch (MalformedFrameException | IllegalArgumentException refused) {
      return;
    }
    int lines = ndjson ? body.split("\r?\n", -1).length : 1;
    assertThat(messages).hasSize(Math.min(lines, 100)); // lines past 100 are dropped, as Phoenix does
    for (Message m : messages) {
      assertThat(m.topic()).isNotNull();
      assertThat(m.event()).isNotNull();
      assertThat(m.payload()).isNotNull();
    }
  }
}
