package dev.cinder.client.internal;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The 2.0.0 binary frame layout: a kind byte, one length byte per field, the fields (UTF-8), then the payload to the
 * end of the frame. Client pushes are kind 0 with join_ref, ref, topic, event; the server sends push (0: join_ref,
 * topic, event), reply (1: join_ref, ref, topic, status) and broadcast (2: topic, event).
 */
final class BinaryFrames {
  static final int PUSH = 0;
  static final int REPLY = 1;
  static final int BROADCAST = 2;

  private BinaryFrames() {}

  static ByteBuffer encodePush(Frame frame) {
    byte[][] fields = {
        utf8(frame.joinRef(), "join_ref"), utf8(frame.ref(), "ref"), utf8(frame.topic(), "topic"),
        utf8(frame.event(), "event")};
    int size = 1 + fields.length + frame.binary().length;
    for (byte[] field : fields) {
      size += field.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) PUSH);
    for (byte[] field : fields) {
      out.put((byte) field.length);
    }
    for (byte[] field : fields) {
      out.put(field);
    }
    out.put(frame.binary());
    return out.flip();
  }

  static Frame decode(ByteBuffer frame) throws MalformedFrameException {
    ByteBuffer in = frame.duplicate();
    if (!in.hasRemaining()) {
      throw new MalformedFrameException("empty binary frame");
    }
    int kind = in.get() & 0xff;
    switch (kind) {
      case PUSH: {
        String[] f = fields(in, kind, "join_ref", "topic", "event");
        return Frame.binary(emptyToNull(f[0]), null, f[1], f[2], rest(in));
      }
      case REPLY: {
        String[] f = fields(in, kind, "join_ref", "ref", "topic", "status");
        return new Frame(emptyToNull(f[0]), emptyToNull(f[1]), f[2], "phx_reply", null, rest(in), f[3]);
      }
      case BROADCAST: {
        String[] f = fields(in, kind, "topic", "event");
        return Frame.binary(null, null, f[0], f[1], rest(in));
      }
      default:
        throw new MalformedFrameException("binary frame of unknown kind " + kind + " (expected 0, 1 or 2)");
    }
  }

  private static String[] fields(ByteBuffer in, int kind, String... names) throws MalformedFrameException {
    if (in.remaining() < names.length) {
      throw new MalformedFrameException("binary frame of kind " + kind + " is shorter than its "
          + (names.length + 1) + "-byte header");
    }
    int[] lengths = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      lengths[i] = in.get() & 0xff;
    }
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      if (in.remaining() < lengths[i]) {
        throw new MalformedFrameException("binary frame of kind " + kind + ": field " + names[i] + " of "
            + lengths[i] + " bytes goes past the end of the frame");
      }
      ByteBuffer slice = in.slice();
      slice.limit(lengths[i]);
      in.position(in.position() + lengths[i]);
      try {
        values[i] = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT).decode(slice).toString();
      } catch (CharacterCodingException e) {
        throw new MalformedFrameException("binary frame of kind " + kind + ": field " + names[i]
            + " is not valid UTF-8", e);
      }
    }
    return values;
  }

  private static byte[] rest(ByteBuffer in) {
    byte[] payload = new byte[in.remaining()];
    in.get(payload);
    return payload;
  }

  private static String emptyToNull(String s) {
    return s.isEmpty() ? null : s;
  }

  private static byte[] utf8(String value, String name) {
    byte[] bytes = value == null ? new byte[0] : value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > 255) {
      throw new IllegalArgumentException(name + " of a binary frame is " + bytes.length
          + " bytes of UTF-8; at most 255 fit");
    }
    return bytes;
  }
}
