package dev.cinder.internal.serializer;

import dev.cinder.Payload;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The V2 binary layouts: one-byte kind, one-byte field lengths, UTF-8 fields, then the raw
 * payload with no length prefix (docs/protocol.md, "2.0.0 binary frames").
 */
final class BinaryFrames {
  static final byte PUSH = 0;
  static final byte REPLY = 1;
  static final byte BROADCAST = 2;

  private static final int MAX_FIELD = 255;
  private static final int CLIENT_PUSH_HEADER = 5;

  private BinaryFrames() {}

  /** Server push, kind 0 without a ref: {@code 00 J T E join_ref topic event payload}. */
  static Frame push(String joinRef, String topic, String event, byte[] payload) {
    return encode(PUSH, payload, orEmpty(joinRef), topic, event);
  }

  /** Reply, kind 1: {@code 01 J R T S join_ref ref topic status response}. */
  static Frame reply(String joinRef, String ref, String topic, String status, byte[] response) {
    return encode(REPLY, response, orEmpty(joinRef), orEmpty(ref), topic, status);
  }

  /** Fastlane broadcast, kind 2: {@code 02 T E topic event payload}. */
  static Frame broadcast(String topic, String event, byte[] payload) {
    return encode(BROADCAST, payload, topic, event);
  }

  /** Decodes the only layout a client may send: kind 0 with a 5-byte header. */
  static Message decodePush(byte[] frame) {
    if (frame.length < CLIENT_PUSH_HEADER) {
      throw new MalformedFrameException("binary frame shorter than its 5-byte header: " + frame.length + " bytes");
    }
    if (frame[0] != PUSH) {
      throw new MalformedFrameException("unsupported binary frame kind " + Byte.toUnsignedInt(frame[0]));
    }
    int joinRefLen = Byte.toUnsignedInt(frame[1]);
    int refLen = Byte.toUnsignedInt(frame[2]);
    int topicLen = Byte.toUnsignedInt(frame[3]);
    int eventLen = Byte.toUnsignedInt(frame[4]);
    int payloadStart = CLIENT_PUSH_HEADER + joinRefLen + refLen + topicLen + eventLen;
    if (frame.length < payloadStart) {
      throw new MalformedFrameException(
          "binary frame declares " + payloadStart + " header bytes but has only " + frame.length);
    }
    int at = CLIENT_PUSH_HEADER;
    String joinRef = utf8(frame, at, joinRefLen, "join_ref");
    String ref = utf8(frame, at += joinRefLen, refLen, "ref");
    String topic = utf8(frame, at += refLen, topicLen, "topic");
    String event = utf8(frame, at += topicLen, eventLen, "event");
    // Copy so the message never aliases a transport buffer that may be reused.
    byte[] payload = Arrays.copyOfRange(frame, payloadStart, frame.length);
    // Phoenix keeps empty refs as "" (not nil); so do we.
    return new Message(joinRef, ref, topic, event, Payload.wrapBinary(payload));
  }

  private static Frame encode(byte kind, byte[] payload, String... fields) {
    byte[][] encoded = new byte[fields.length][];
    int size = 1 + fields.length + payload.length;
    for (int i = 0; i < fields.length; i++) {
      encoded[i] = field(fields[i]);
      size += encoded[i].length;
    }
    byte[] out = new byte[size];
    out[0] = kind;
    int at = 1 + fields.length;
    for (int i = 0; i < encoded.length; i++) {
      out[1 + i] = (byte) encoded[i].length;
      System.arraycopy(encoded[i], 0, out, at, encoded[i].length);
      at += encoded[i].length;
    }
    System.arraycopy(payload, 0, out, at, payload.length);
    return Frame.binary(out);
  }

  private static byte[] field(String value) {
    if (value == null) {
      throw new NullPointerException("topic, event and status are required in binary frames");
    }
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    if (bytes.length > MAX_FIELD) {
      throw new IllegalArgumentException(
          "binary frame field longer than " + MAX_FIELD + " UTF-8 bytes (" + bytes.length + "): "
              + value.substring(0, Math.min(value.length(), 40)) + "…");
    }
    return bytes;
  }

  private static String orEmpty(String ref) {
    return ref == null ? "" : ref; // Elixir's to_string(nil) is ""
  }

  private static String utf8(byte[] bytes, int offset, int length, String name) {
    try {
      // String(byte[], UTF_8) would silently substitute U+FFFD; a strict decoder reports instead.
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes, offset, length))
          .toString();
    } catch (CharacterCodingException e) {
      throw new MalformedFrameException(name + " in binary frame is not valid UTF-8", e);
    }
  }
}
