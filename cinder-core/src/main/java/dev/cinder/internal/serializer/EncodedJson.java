package dev.cinder.internal.serializer;

import dev.cinder.Payload;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import tools.jackson.core.SerializableString;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.util.RawValue;

/**
 * JSON text already encoded (UTF-8), written into frames as it is: a payload built once and pushed to many
 * clients costs each of them one copy of these bytes, not a tree conversion and an encoding. The bytes are
 * shared and never modified; they must be one valid JSON value (the code that makes them guarantees it).
 */
public final class EncodedJson implements SerializableString {
  private final byte[] utf8;

  private EncodedJson(byte[] utf8) {
    this.utf8 = utf8;
  }

  /** A payload whose JSON is {@code utf8}, written raw by the serializers. */
  public static Payload payload(byte[] utf8) {
    return Payload.json(JsonNodeFactory.instance.rawValueNode(new RawValue(new EncodedJson(utf8))));
  }

  /** The encoded bytes of a payload made by {@link #payload}, or null for any other payload. */
  public static byte[] bytesOf(Payload payload) {
    if (!payload.isBinary() && payload.json().isPojo()
        && payload.json() instanceof tools.jackson.databind.node.POJONode node
        && node.getPojo() instanceof RawValue raw && raw.rawValue() instanceof EncodedJson encoded) {
      return encoded.utf8;
    }
    return null;
  }

  @Override
  public String getValue() {
    return new String(utf8, StandardCharsets.UTF_8);
  }

  @Override
  public int charLength() {
    return getValue().length();
  }

  @Override
  public char[] asQuotedChars() {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return utf8;
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public int appendUnquotedUTF8(byte[] buffer, int offset) {
    if (offset + utf8.length > buffer.length) {
      return -1; // the generator then writes asUnquotedUTF8() past its buffer
    }
    System.arraycopy(utf8, 0, buffer, offset, utf8.length);
    return utf8.length;
  }

  @Override
  public int appendUnquoted(char[] buffer, int offset) {
    String value = getValue();
    if (offset + value.length() > buffer.length) {
      return -1;
    }
    value.getChars(0, value.length(), buffer, offset);
    return value.length();
  }

  @Override
  public int writeQuotedUTF8(OutputStream out) {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(utf8);
    return utf8.length;
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("raw JSON is never quoted");
  }

  @Override
  public int putUnquotedUTF8(ByteBuffer buffer) {
    if (buffer.remaining() < utf8.length) {
      return -1;
    }
    buffer.put(utf8);
    return utf8.length;
  }

  @Override
  public String toString() {
    return getValue();
  }
}
