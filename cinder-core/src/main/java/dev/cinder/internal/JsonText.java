package dev.cinder.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.SerializableString;

/**
 * The UTF-8 text of one valid JSON value, kept as it came: a payload read from a client, or built once and pushed to
 * many (a shared presence_state). Writing it into a frame is one copy of these bytes, not a tree and an encoding;
 * the tree is built only if something asks for it. The bytes are shared and never modified.
 *
 * <p>Validity is established where the text is made: {@link #read} walks a value token by token, which checks its
 * syntax and UTF-8 like building a tree would, and refuses float literals beyond a double's range ({@code 1e400}),
 * which a tree would turn into infinities that JSON cannot carry.
 */
public final class JsonText implements SerializableString {
  /** How {@code dev.cinder.Payload} wraps a text and hands its text back; it registers this when it initialises. */
  public interface PayloadBridge {
    Object payload(JsonText text);

    JsonText textOf(Object payload);
  }

  private static volatile PayloadBridge bridge;

  private final byte[] utf8;

  /** {@code utf8} must be one valid JSON value: the caller made it so, or read it with {@link #read}. */
  public JsonText(byte[] utf8) {
    this.utf8 = utf8;
  }

  public static void register(PayloadBridge payloads) {
    bridge = payloads;
  }

  public static PayloadBridge bridge() {
    return bridge;
  }

  /**
   * The value at the parser's current token, which must start one, as text: walks to its last token, checking it,
   * and copies its bytes out of {@code input}, the array the parser reads from {@code inputOffset} on. Throws what
   * {@code refusal} makes for a number JSON cannot carry; syntax errors are the parser's own exceptions.
   */
  public static JsonText read(JsonParser parser, byte[] input, int inputOffset,
      Function<String, RuntimeException> refusal) {
    long startOffset = parser.currentTokenLocation().getByteOffset();
    if (startOffset < 0) {
      // A parser that decoded UTF-16 or UTF-32 counts characters, not bytes: the text cannot be cut out.
      throw refusal.apply("JSON text must be UTF-8");
    }
    int start = (int) startOffset;
    // Jackson checks a string's length against its limit only when it makes the string; skipped ones are not made.
    // A string cannot be longer than the bytes holding it, so only a longer input needs them all made.
    boolean readStrings = input.length - inputOffset > parser.streamReadConstraints().getMaxStringLength();
    int depth = 0;
    JsonToken token = parser.currentToken();
    while (true) {
      switch (token) {
        case START_OBJECT, START_ARRAY -> depth++;
        case END_OBJECT, END_ARRAY -> depth--;
        case VALUE_NUMBER_FLOAT -> {
          if (!Double.isFinite(parser.getDoubleValue())) {
            throw refusal.apply("a number is out of the range of a double");
          }
        }
        case VALUE_STRING -> {
          if (readStrings) {
            parser.getString(); // the length is checked when the string is made
          } else if (depth == 0) {
            parser.finishToken(); // a lone string's end is known only once it has been read through
          }
        }
        default -> {}
      }
      if (depth == 0) {
        break;
      }
      token = parser.nextToken();
      if (token == null) {
        throw refusal.apply("unexpected end of JSON inside a value");
      }
    }
    int end = (int) parser.currentLocation().getByteOffset();
    while (end > start && isWhitespace(input[inputOffset + end - 1])) {
      end--; // a number at the end of a document is read with the byte after it
    }
    return new JsonText(Arrays.copyOfRange(input, inputOffset + start, inputOffset + end));
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  /** The bytes, shared: never modify them. */
  public byte[] utf8() {
    return utf8;
  }

  /** Whether the value is a JSON object: its first byte (the text has no leading whitespace). */
  public boolean isObject() {
    return utf8.length > 0 && utf8[0] == '{';
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
    throw new UnsupportedOperationException("JSON text is never quoted");
  }

  @Override
  public byte[] asUnquotedUTF8() {
    return utf8;
  }

  @Override
  public byte[] asQuotedUTF8() {
    throw new UnsupportedOperationException("JSON text is never quoted");
  }

  @Override
  public int appendQuotedUTF8(byte[] buffer, int offset) {
    throw new UnsupportedOperationException("JSON text is never quoted");
  }

  @Override
  public int appendQuoted(char[] buffer, int offset) {
    throw new UnsupportedOperationException("JSON text is never quoted");
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
    throw new UnsupportedOperationException("JSON text is never quoted");
  }

  @Override
  public int writeUnquotedUTF8(OutputStream out) throws IOException {
    out.write(utf8);
    return utf8.length;
  }

  @Override
  public int putQuotedUTF8(ByteBuffer buffer) {
    throw new UnsupportedOperationException("JSON text is never quoted");
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
