package dev.cinder.internal.serializer;

import dev.cinder.Payload;
import dev.cinder.internal.JsonText;
import java.util.function.Function;
import tools.jackson.core.JsonParser;
import tools.jackson.core.ObjectReadContext;

/**
 * Payloads that carry their JSON as text ({@link JsonText}): made from bytes already encoded (a shared
 * presence_state) or read from a client, and written into frames as those bytes.
 */
public final class EncodedJson {
  static {
    Payload.empty(); // Payload hands JsonText its bridge when it initialises
  }

  private EncodedJson() {}

  /** A payload whose JSON is {@code utf8}, which must be one valid JSON value (the caller guarantees it). */
  public static Payload payload(byte[] utf8) {
    return payload(new JsonText(utf8));
  }

  static Payload payload(JsonText text) {
    return (Payload) JsonText.bridge().payload(text);
  }

  /** The JSON text a payload carries, or null for a tree or binary payload. */
  static JsonText textOf(Payload payload) {
    return JsonText.bridge().textOf(payload);
  }

  /**
   * The JSON document in {@code bytes} from {@code offset} to the end (a payload from another node), as a payload
   * that keeps its text. Throws what {@code refusal} makes for an empty document, trailing data or a number JSON
   * cannot carry, and Jackson's exception for invalid JSON.
   */
  public static Payload readDocument(byte[] bytes, int offset, Function<String, RuntimeException> refusal) {
    try (JsonParser parser = JsonFrames.TOKENS.createParser(ObjectReadContext.empty(), bytes, offset, bytes.length - offset)) {
      if (parser.nextToken() == null) {
        throw refusal.apply("empty JSON payload");
      }
      JsonText text = JsonText.read(parser, bytes, offset, refusal);
      if (parser.nextToken() != null) {
        throw refusal.apply("trailing data after the JSON payload");
      }
      return payload(text);
    }
  }

  /** The encoded bytes of a payload that carries its JSON as text, or null for any other payload. */
  public static byte[] bytesOf(Payload payload) {
    JsonText text = textOf(payload);
    return text == null ? null : text.utf8();
  }
}
