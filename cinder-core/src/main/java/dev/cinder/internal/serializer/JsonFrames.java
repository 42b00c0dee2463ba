package dev.cinder.internal.serializer;

import dev.cinder.Payload;
import dev.cinder.internal.Json;
import dev.cinder.internal.JsonText;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.TokenStreamFactory;
import tools.jackson.core.util.ByteArrayBuilder;

/**
 * Streaming JSON helpers shared by the JSON serializers: no String round trips, and no trees but for payloads an
 * application built as one. A client's payload is kept as its text ({@link JsonText}).
 */
final class JsonFrames {
  /** Parsers and generators without databind's per-call contexts: frames are read and written token by token. */
  static final TokenStreamFactory TOKENS = Json.MAPPER.tokenStreamFactory();

  private JsonFrames() {}

  /** Writes one JSON value into a fresh byte array. */
  interface Writer {
    void write(JsonGenerator gen);
  }

  /** A frame whose payload, if it has one, is {@code payload} (null: none). */
  static Frame text(Payload payload, Writer writer) {
    // Sized for a typical small message; ByteArrayBuilder grows in segments, without re-copying.
    ByteArrayBuilder out = new ByteArrayBuilder(256);
    // Only a tree needs databind's context to be written; text and the frame around it are plain tokens.
    boolean tree = payload != null && !payload.isBinary() && EncodedJson.textOf(payload) == null;
    try (JsonGenerator gen = tree ? Json.MAPPER.createGenerator(out) : TOKENS.createGenerator(ObjectWriteContext.empty(), out)) {
      writer.write(gen);
    }
    return new Frame(false, out.toByteArray());
  }

  /**
   * {@code head}, a JSON array whose last element is the one-byte placeholder {@code 0}, with that element
   * replaced by the JSON value {@code encoded}: one array of the exact size.
   */
  static Frame replaceLastValue(Frame head, byte[] encoded) {
    byte[] start = head.bytes();
    int keep = start.length - 2; // without `0]`
    byte[] bytes = new byte[keep + encoded.length + 1];
    System.arraycopy(start, 0, bytes, 0, keep);
    System.arraycopy(encoded, 0, bytes, keep, encoded.length);
    bytes[bytes.length - 1] = ']';
    return new Frame(false, bytes);
  }

  /**
   * Writes a JSON payload through the generator, as its text when it has one; binary has no JSON form, callers pick
   * a binary layout first. The generator must come from {@link #text} with this payload.
   */
  static void writeJson(JsonGenerator gen, Payload payload) {
    if (payload.isBinary()) {
      throw new IllegalArgumentException("a binary payload cannot be written as JSON");
    }
    JsonText text = EncodedJson.textOf(payload);
    if (text != null) {
      gen.writeRawValue(text);
    } else {
      gen.writeTree(payload.json());
    }
  }

  static void writeNullable(JsonGenerator gen, String value) {
    if (value == null) {
      gen.writeNull();
    } else {
      gen.writeString(value);
    }
  }

  /** Opens a parser on a text frame; the bytes are UTF-8 by the WebSocket contract. */
  static JsonParser parser(Frame frame) {
    byte[] bytes = frame.bytes();
    // JSON text starts with an ASCII byte. Checking it stops Jackson from sniffing UTF-16/32 (NUL bytes) or
    // skipping a UTF-8 BOM, both of which Phoenix's decoder rejects.
    if (bytes.length == 0 || bytes[0] <= 0 || (bytes.length > 1 && bytes[1] == 0)) {
      throw new MalformedFrameException("text frame is empty or not UTF-8 JSON");
    }
    return TOKENS.createParser(ObjectReadContext.empty(), bytes);
  }

  /** Reads the next token, which must start a value; {@code what} names the value for error messages. */
  static JsonToken nextValue(JsonParser parser, String what) {
    JsonToken token = parser.nextToken();
    if (token == null) {
      throw new MalformedFrameException("unexpected end of JSON before " + what);
    }
    return token;
  }

  /** join_ref or ref at the current token: a string, null, or a number kept as its JSON text. */
  static String ref(JsonParser parser, String name) {
    return switch (parser.currentToken()) {
      case VALUE_STRING -> parser.getString();
      case VALUE_NULL -> null;
      // A client may send numeric refs; Phoenix echoes them, we keep their exact text.
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getString();
      default -> throw new MalformedFrameException(name + " must be a string or null, got " + describe(parser));
    };
  }

  /** topic or event at the current token: must be a string. */
  static String string(JsonParser parser, String name) {
    if (parser.currentToken() != JsonToken.VALUE_STRING) {
      throw new MalformedFrameException(name + " must be a string, got " + describe(parser));
    }
    return parser.getString();
  }

  /**
   * The JSON value at the current token, as a payload that keeps its text; {@code frame} is what the parser reads.
   * Refuses a number beyond a double's range, which a tree would turn into an infinity JSON cannot carry.
   */
  static Payload payload(JsonParser parser, Frame frame) {
    return EncodedJson.payload(JsonText.read(parser, frame.bytes(), 0, MalformedFrameException::new));
  }

  /** Fails unless the document ended: Phoenix's decoder rejects trailing garbage as invalid JSON. */
  static void expectEnd(JsonParser parser) {
    if (parser.nextToken() != null) {
      throw new MalformedFrameException("trailing data after the JSON value");
    }
  }

  static MalformedFrameException invalidJson(JacksonException e) {
    return new MalformedFrameException("invalid JSON: " + e.getOriginalMessage(), e);
  }

  private static String describe(JsonParser parser) {
    return switch (parser.currentToken()) {
      case START_OBJECT -> "an object";
      case START_ARRAY -> "an array";
      case VALUE_TRUE, VALUE_FALSE -> "a boolean";
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
      case VALUE_NULL -> "null";
      case VALUE_STRING -> "a string";
      default -> String.valueOf(parser.currentToken());
    };
  }
}
