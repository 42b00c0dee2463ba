package dev.cinder;

import dev.cinder.internal.Json;
import dev.cinder.internal.JsonText;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The payload of a channel message: a JSON value (an object in practice) or raw bytes, which travel as
 * binary frames in the V2 protocol. Immutable by contract: do not mutate the JSON tree after handing it over.
 *
 * <p>A payload read from a client keeps the JSON text it came as: echoing or broadcasting it copies that text into
 * the outgoing frame, and the tree behind {@link #json()} (and the accessors built on it) is parsed the first time
 * something asks for it.
 */
public final class Payload {
  private static final Payload EMPTY = new Payload(Json.MAPPER.createObjectNode(), null, null);

  static {
    JsonText.register(new JsonText.PayloadBridge() {
      @Override
      public Object payload(JsonText text) {
        return new Payload(null, text, null);
      }

      @Override
      public JsonText textOf(Object payload) {
        return ((Payload) payload).text;
      }
    });
  }

  private volatile JsonNode json; // for a payload that came as text: null until first asked for
  private final JsonText text; // the JSON text it came as, or null
  private final byte[] binary;

  private Payload(JsonNode json, JsonText text, byte[] binary) {
    this.json = json;
    this.text = text;
    this.binary = binary;
  }

  /** The empty JSON object {@code {}}. */
  public static Payload empty() {
    return EMPTY;
  }

  public static Payload json(JsonNode json) {
    return new Payload(Objects.requireNonNull(json, "json"), null, null);
  }

  /** A JSON payload from a map, a record or any value Jackson can convert. */
  public static Payload of(Object value) {
    if (value instanceof Payload p) {
      return p;
    }
    if (value instanceof JsonNode node) {
      return json(node);
    }
    return json(Json.MAPPER.valueToTree(value));
  }

  /** A JSON payload parsed from text; throws {@link IllegalArgumentException} on invalid JSON. */
  public static Payload parse(String jsonText) {
    try {
      return json(Json.MAPPER.readTree(jsonText));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
  }

  public static Payload binary(byte[] bytes) {
    return new Payload(null, null, Objects.requireNonNull(bytes, "bytes").clone());
  }

  /** Wraps bytes the caller promises never to change again, without a copy. */
  public static Payload wrapBinary(byte[] bytes) {
    return new Payload(null, null, Objects.requireNonNull(bytes, "bytes"));
  }

  public boolean isBinary() {
    return binary != null;
  }

  public boolean isObject() {
    return text != null ? text.isObject() : json != null && json.isObject();
  }

  /** The JSON value; throws if this payload is binary. */
  public JsonNode json() {
    JsonNode tree = json;
    if (tree == null) {
      if (text == null) {
        throw new IllegalStateException("binary payload has no JSON value");
      }
      // Racing readers each parse an equal tree; the text was checked when it was read, so this cannot fail.
      tree = Json.MAPPER.readTree(text.utf8());
      json = tree;
    }
    return tree;
  }

  /** The raw bytes without a copy; throws if this payload is JSON. Do not modify them. */
  public byte[] bytes() {
    if (binary == null) {
      throw new IllegalStateException("JSON payload has no bytes");
    }
    return binary;
  }

  /** The string field {@code name} of a JSON object payload, or null when absent or not a string. */
  public String string(String name) {
    JsonNode node = field(name);
    return node != null && node.isString() ? node.stringValue() : null;
  }

  /** The integer field {@code name} of a JSON object payload, or null when absent or not an integer. */
  public Long integer(String name) {
    JsonNode node = field(name);
    return node != null && node.isIntegralNumber() && node.canConvertToLong() ? node.longValue() : null;
  }

  /** The boolean field {@code name} of a JSON object payload, or null when absent or not a boolean. */
  public Boolean bool(String name) {
    JsonNode node = field(name);
    return node != null && node.isBoolean() ? node.booleanValue() : null;
  }

  /**
   * The JSON value converted to {@code type} (a record, a class with Jackson's usual mapping, a {@code Map}...);
   * throws {@link IllegalArgumentException} when it does not fit, or when this payload is binary. In a named module,
   * open the type's package to {@code tools.jackson.databind}.
   */
  public <T> T as(Class<T> type) {
    try {
      // From the tree, for text payloads too: the same numbers (floats through a double) as json() and equals see.
      return Json.MAPPER.treeToValue(json(), type);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("payload does not convert to " + type.getName() + ": " + e.getMessage(), e);
    }
  }

  /** The fields of a JSON object payload as plain Java values (maps, lists, strings, numbers, booleans, nulls). */
  @SuppressWarnings("unchecked")
  public Map<String, Object> toMap() {
    if (!isObject()) {
      throw new IllegalStateException("only a JSON object payload has fields");
    }
    return Json.MAPPER.convertValue(json(), Map.class);
  }

  /** The field {@code name} of a JSON object payload, or null when absent. */
  public JsonNode field(String name) {
    if (!isObject()) {
      return null;
    }
    JsonNode node = json().get(name);
    return node == null || node.isMissingNode() ? null : node;
  }

  /** A copy of this JSON object with one field set; for enriching a payload per recipient. */
  public Payload with(String name, Object value) {
    if (!isObject()) {
      throw new IllegalStateException("only a JSON object payload can take fields");
    }
    ObjectNode copy = ((ObjectNode) json()).deepCopy();
    copy.set(name, Json.MAPPER.valueToTree(value));
    return new Payload(copy, null, null);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Payload p) || isBinary() != p.isBinary()) {
      return false;
    }
    return isBinary() ? Arrays.equals(binary, p.binary) : json().equals(p.json());
  }

  @Override
  public int hashCode() {
    return isBinary() ? Arrays.hashCode(binary) : json().hashCode();
  }

  @Override
  public String toString() {
    if (isBinary()) {
      return "<binary " + binary.length + " bytes>";
    }
    return text != null ? text.toString() : json.toString();
  }
}
