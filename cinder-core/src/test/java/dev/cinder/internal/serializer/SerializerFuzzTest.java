package dev.cinder.internal.serializer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cinder.Broadcast;
import java.nio.charset.StandardCharsets;

/**
 * Coverage-guided fuzz tests of the frame decoders a client reaches (docs/fuzzing.md). Each input is the raw bytes
 * of one WebSocket message. A decode either returns a well-formed message or throws {@link MalformedFrameException};
 * anything else thrown is a finding. What was decoded must survive the server's own encoders, since the server
 * pushes and broadcasts client payloads on to other clients.
 *
 * <p>Saved inputs: {@code src/test/resources/dev/cinder/serializer/SerializerFuzzTestInputs/<method>/}.
 */
class SerializerFuzzTest {
  private static final Serializer V1 = V1JsonSerializer.INSTANCE;
  private static final Serializer V2 = V2JsonSerializer.INSTANCE;

  @FuzzTest
  void v1Json(byte[] data) {
    Message m = decodeOrNull(V1, new Frame(false, data));
    if (m == null) {
      return;
    }
    assertWellFormed(m);
    assertThat(m.payload().isBinary()).isFalse();
    // 1.0.0 pushes carry no join_ref: everything else comes back as it was.
    Message expected = new Message(null, m.ref(), m.topic(), m.event(), m.payload());
    assertThat(V1.decode(V1.encodePush(m))).isEqualTo(expected);
    assertThat(V1.decode(V1.encodeBroadcast(broadcast(m)))).isEqualTo(new Message(null, null, m.topic(), m.event(),
        m.payload()));
  }

  @FuzzTest
  void v2Json(byte[] data) {
    Message m = decodeOrNull(V2, new Frame(false, data));
    if (m == null) {
      return;
    }
    assertWellFormed(m);
    assertThat(m.payload().isBinary()).isFalse();
    assertThat(V2.decode(V2.encodePush(m))).isEqualTo(m);
    assertThat(V2.decode(V2.encodeBroadcast(broadcast(m)))).isEqualTo(new Message(null, null, m.topic(), m.event(),
        m.payload()));
  }

  @FuzzTest
  void v2Binary(byte[] data) {
    Message m = decodeOrNull(V2, Frame.binary(data));
    if (m == null) {
      return;
    }
    assertWellFormed(m);
    assertThat(m.payload().isBinary()).isTrue();
    // Fields are exact byte ranges of strict UTF-8, so writing the client's layout again gives the input back.
    assertThat(clientPush(m)).isEqualTo(data);
    // The server's own layouts take any field a client could send (each at most 255 bytes).
    assertThat(V2.encodePush(m).bytes()).endsWith(m.payload().bytes());
    assertThat(V2.encodeBroadcast(broadcast(m)).bytes()).endsWith(m.payload().bytes());
  }

  private static Message decodeOrNull(Serializer serializer, Frame frame) {
    try {
      return serializer.decode(frame);
    } catch (MalformedFrameException refused) {
      return null; // the documented answer to a bad frame
    }
  }

  private static void assertWellFormed(Message m) {
    assertThat(m.topic()).isNotNull();
    assertThat(m.event()).isNotNull();
    assertThat(m.payload()).isNotNull();
  }

  private static Broadcast broadcast(Message m) {
    return new Broadcast(m.topic(), m.event(), m.payload());
  }

  /** The kind-0 layout a client sends: {@code 00 J R T E join_ref ref topic event payload}. */
  static byte[] clientPush(Message m) {
    byte[][] fields = {utf8(m.joinRef()), utf8(m.ref()), utf8(m.topic()), utf8(m.event())};
    byte[] payload = m.payload().bytes();
    int size = 5 + payload.length;
    for (byte[] field : fields) {
      size += field.length;
    }
    byte[] out = new byte[size];
    int at = 5;
    for (int i = 0; i < fields.length; i++) {
      out[1 + i] = (byte) fields[i].length;
      System.arraycopy(fields[i], 0, out, at, fields[i].length);
      at += fields[i].length;
    }
    System.arraycopy(payload, 0, out, at, payload.length);
    return out;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
