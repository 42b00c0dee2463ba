package dev.cinder.redis;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.Json;
import dev.cinder.internal.pubsub.Position;
import dev.cinder.internal.serializer.EncodedJson;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;

/**
 * The binary envelope of a broadcast on Redis, version 1:
 * <pre>
 *   u8      version (1)
 *   u8      flags: bit 0 = payload is binary (else JSON text), bit 1 = a target node follows the origin,
 *           bit 2 = recorded in a history, bit 3 = trace context follows the event
 *   str     origin node
 *   str     target node (only with flag bit 1)
 *   str     topic
 *   str     event
 *   trace   only with flag bit 3: a count (unsigned LEB128, 1 to 16), then that many pairs of str (field name,
 *           value), e.g. traceparent and tracestate; a broadcast sent outside any traced work has none, and its
 *           envelope is byte for byte what it was before traces existed
 *   str     sequence, epoch, offset: three decimal / text fields, only with flag bit 2 (recorded in a history)
 *   bytes   payload: UTF-8 JSON or raw bytes, to the end of the message
 * </pre>
 * A recorded broadcast's envelope is finished by Redis: the node sends everything up to its sequence (its own
 * count, to know its broadcast when it comes back) and the payload, and the script that records it puts the epoch
 * and offset between them.
 * where {@code str} is an unsigned LEB128 length followed by that many bytes of UTF-8. A decoder that
 * meets anything else throws {@link MalformedEnvelopeException}, never another exception.
 */
final class EnvelopeCodec {
  static final int VERSION = 1;
  private static final int BINARY = 1;
  private static final int TARGETED = 2;
  private static final int RECORDED = 4;
  private static final int TRACED = 8;
  static final int MAX_TRACE_FIELDS = 16;
  private static final int MAX_STRING = 64 * 1024;

  private EnvelopeCodec() {}

  static byte[] encode(String origin, String target, Broadcast broadcast) {
    return encode(origin, target, broadcast, null);
  }

  /** The envelope of a broadcast carrying {@code trace} (null or empty: none, and no bytes for it). */
  static byte[] encode(String origin, String target, Broadcast broadcast, Map<String, String> trace) {
    byte[][] traceBytes = traceBytes(trace);
    byte[] originBytes = utf8(origin);
    byte[] targetBytes = target == null ? null : utf8(target);
    byte[] topicBytes = utf8(broadcast.topic());
    byte[] eventBytes = utf8(broadcast.event());
    Payload payload = broadcast.payload();
    byte[] text = payload.isBinary() ? null : EncodedJson.bytesOf(payload);
    byte[] payloadBytes = payload.isBinary() ? payload.bytes() : text != null ? text : Json.MAPPER.writeValueAsBytes(payload.json());

    int size = 2 + sized(originBytes) + (targetBytes == null ? 0 : sized(targetBytes)) + sized(topicBytes)
        + sized(eventBytes) + traceSize(traceBytes) + payloadBytes.length;
    ByteBuffer out = ByteBuffer.allocate(size);
    out.put((byte) VERSION);
    out.put((byte) ((payload.isBinary() ? BINARY : 0) | (targetBytes == null ? 0 : TARGETED)
        | (traceBytes == null ? 0 : TRACED)));
    putString(out, originBytes);
    if (targetBytes != null) {
      putString(out, targetBytes);
    }
    putString(out, topicBytes);
    putString(out, eventBytes);
    putTrace(out, traceBytes);
    out.put(payloadBytes);
    return out.array();
  }

  /**
   * The two parts of a broadcast to record: the head, up to and with {@code sequence}, and the payload; Redis puts
   * the position between them (see the class comment).
   */
  static byte[][] recordedParts(String origin, long sequence, Broadcast broadcast) {
    return recordedParts(origin, sequence, broadcast, null);
  }

  /** {@link #recordedParts(String, long, Broadcast)} of a broadcast carrying {@code trace} (null: none). */
  static byte[][] recordedParts(String origin, long sequence, Broadcast broadcast, Map<String, String> trace) {
    byte[][] traceBytes = traceBytes(trace);
    byte[] originBytes = utf8(origin);
    byte[] topicBytes = utf8(broadcast.topic());
    byte[] eventBytes = utf8(broadcast.event());
    byte[] sequenceBytes = utf8(Long.toString(sequence));
    Payload payload = broadcast.payload();
    byte[] text = EncodedJson.bytesOf(payload);
    byte[] payloadBytes = text != null ? text : Json.MAPPER.writeValueAsBytes(payload.json());
    ByteBuffer head = ByteBuffer.allocate(2 + sized(originBytes) + sized(topicBytes) + sized(eventBytes)
        + traceSize(traceBytes) + sized(sequenceBytes));
    head.put((byte) VERSION);
    head.put((byte) (RECORDED | (traceBytes == null ? 0 : TRACED)));
    putString(head, originBytes);
    putString(head, topicBytes);
    putString(head, eventBytes);
    putTrace(head, traceBytes);
    putString(head, sequenceBytes);
    return new byte[][] {head.array(), payloadBytes};
  }

  /** Reads the header; the payload stays as bytes until {@link Envelope#broadcast()}. */
  static Envelope decode(byte[] message) {
    if (message == null || message.length < 2) {
      throw new MalformedEnvelopeException("too short");
    }
    if (message[0] != VERSION) {
      throw new MalformedEnvelopeException("unknown version " + (message[0] & 0xff));
    }
    int flags = message[1];
    if ((flags & ~(BINARY | TARGETED | RECORDED | TRACED)) != 0) {
      throw new MalformedEnvelopeException("unknown flags " + (flags & 0xff));
    }
    ByteBuffer in = ByteBuffer.wrap(message, 2, message.length - 2);
    String origin = getString(in);
    String target = (flags & TARGETED) != 0 ? getString(in) : null;
    String topic = getString(in);
    String event = getString(in);
    Map<String, String> trace = (flags & TRACED) != 0 ? getTrace(in) : null;
    long sequence = -1;
    Position position = null;
    if ((flags & RECORDED) != 0) {
      sequence = getNumber(in);
      String epoch = getString(in);
      position = new Position(epoch, getNumber(in));
    }
    boolean binary = (flags & BINARY) != 0;
    return trace == null ? new Envelope(origin, target, topic, event, binary, message, in.position(), sequence, position)
        : new Envelope.Traced(origin, target, topic, event, binary, message, in.position(), sequence, position, trace);
  }

  /** The trace fields as name and value bytes, alternating; null when there are none (or too many to carry). */
  private static byte[][] traceBytes(Map<String, String> trace) {
    if (trace == null || trace.isEmpty() || trace.size() > MAX_TRACE_FIELDS) {
      return null;
    }
    byte[][] bytes = new byte[trace.size() * 2][];
    int i = 0;
    for (Map.Entry<String, String> field : trace.entrySet()) {
      bytes[i++] = utf8(field.getKey());
      bytes[i++] = utf8(field.getValue());
    }
    return bytes;
  }

  private static int traceSize(byte[][] traceBytes) {
    if (traceBytes == null) {
      return 0;
    }
    int size = varintSize(traceBytes.length / 2);
    for (byte[] bytes : traceBytes) {
      size += sized(bytes);
    }
    return size;
  }

  private static void putTrace(ByteBuffer out, byte[][] traceBytes) {
    if (traceBytes == null) {
      return;
    }
    out.put((byte) (traceBytes.length / 2)); // at most MAX_TRACE_FIELDS: one LEB128 byte
    for (byte[] bytes : traceBytes) {
      putString(out, bytes);
    }
  }

  private static Map<String, String> getTrace(ByteBuffer in) {
    if (!in.hasRemaining()) {
      throw new MalformedEnvelopeException("missing trace");
    }
    int count = in.get();
    if (count < 1 || count > MAX_TRACE_FIELDS) {
      throw new MalformedEnvelopeException("trace field count " + (count & 0xff) + " out of bounds");
    }
    Map<String, String> trace = new LinkedHashMap<>();
    for (int i = 0; i < count; i++) {
      trace.put(getString(in), getString(in));
    }
    return Collections.unmodifiableMap(trace);
  }

  private static long getNumber(ByteBuffer in) {
    String digits = getString(in);
    if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new MalformedEnvelopeException("bad number");
    }
    return Long.parseLong(digits);
  }

  static Payload payload(boolean binary, byte[] message, int offset) {
    if (binary) {
      return Payload.wrapBinary(Arrays.copyOfRange(message, offset, message.length));
    }
    try {
      // Kept as its text: delivering it to this node's clients copies those bytes, without a tree.
      return EncodedJson.readDocument(message, offset, MalformedEnvelopeException::new);
    } catch (JacksonException e) {
      throw new MalformedEnvelopeException("invalid JSON payload");
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static int sized(byte[] bytes) {
    return varintSize(bytes.length) + bytes.length;
  }

  private static int varintSize(int value) {
    int size = 1;
    while ((value >>>= 7) != 0) {
      size++;
    }
    return size;
  }

  private static void putString(ByteBuffer out, byte[] bytes) {
    int value = bytes.length;
    while ((value & ~0x7f) != 0) {
      out.put((byte) ((value & 0x7f) | 0x80));
      value >>>= 7;
    }
    out.put((byte) value);
    out.put(bytes);
  }

  private static String getString(ByteBuffer in) {
    int length = 0;
    for (int shift = 0; ; shift += 7) {
      if (!in.hasRemaining() || shift > 21) {
        throw new MalformedEnvelopeException("bad string length");
      }
      int b = in.get();
      length |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
    }
    if (length > MAX_STRING || length > in.remaining()) {
      throw new MalformedEnvelopeException("string length " + length + " out of bounds");
    }
    int start = in.position();
    in.position(start + length);
    byte[] array = in.array();
    if (isAscii(array, start, length)) {
      return new String(array, start, length, StandardCharsets.US_ASCII); // the common case, no decoder
    }
    try {
      // Strict decoding: garbage rarely passes as valid UTF-8, and a name with U+FFFD in it is no name.
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(array, start, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedEnvelopeException("string is not UTF-8");
    }
  }

  private static boolean isAscii(byte[] bytes, int start, int length) {
    for (int i = start; i < start + length; i++) {
      if (bytes[i] < 0) {
        return false;
      }
    }
    return true;
  }
}
