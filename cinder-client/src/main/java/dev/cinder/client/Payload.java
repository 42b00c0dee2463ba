package dev.cinder.client;

import java.util.Arrays;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** What a message carries: a JSON value, or bytes (a binary frame of protocol 2.0.0). Immutable. */
public final class Payload {
  private static final JsonMapper DEFAULT_MAPPER = JsonMapper.builder().build();

  private final JsonNode json;
  private final byte[] bytes;
  private final JsonMapper mapper;

  Payload(JsonNode json, byte[] bytes, JsonMapper mapper) {
    this.json = json;
    this.bytes = bytes;
    this.mapper = mapper;
  }

  /**
   * A JSON payload, mapped by a plain {@link JsonMapper} in {@link #as}.
   *
   * @param json the value
   * @return the payload
   */
  public static Payload ofJson(JsonNode json) {
    return new Payload(Objects.requireNonNull(json, "json"), null, DEFAULT_MAPPER);
  }

  /**
   * A binary payload.
   *
   * @param bytes the bytes (copied)
   * @return the payload
   */
  public static Payload ofBytes(byte[] bytes) {
    return new Payload(null, bytes.clone(), DEFAULT_MAPPER);
  }

  /**
   * Whether this is a binary payload.
   *
   * @return true for bytes, false for JSON
   */
  public boolean isBinary() {
    return bytes != null;
  }

  /**
   * The JSON value.
   *
   * @return the JSON
   * @throws IllegalStateException for a binary payload
   */
  public JsonNode json() {
    if (json == null) {
      throw new IllegalStateException("binary payload (" + bytes.length + " bytes) has no JSON");
    }
    return json;
  }

  /**
   * The JSON value mapped to a type with the socket's {@link JsonMapper}.
   *
   * @param type the type, e.g. a record
   * @param <T> the type
   * @return the mapped value
   * @throws IllegalStateException for a binary payload
   * @throws tools.jackson.core.JacksonException when the JSON does not map to the type
   */
  public <T> T as(Class<T> type) {
    return mapper.treeToValue(json(), type);
  }

  /**
   * The bytes of a binary payload.
   *
   * @return a copy of the bytes
   * @throws IllegalStateException for a JSON payload
   */
  public byte[] bytes() {
    if (bytes == null) {
      throw new IllegalStateException("JSON payload has no bytes: " + json);
    }
    return bytes.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Payload p && Objects.equals(json, p.json) && Arrays.equals(bytes, p.bytes);
  }

  @Override
  public int hashCode() {
    return bytes != null ? Arrays.hashCode(bytes) : json.hashCode();
  }

  /** The JSON text, or {@code <binary: n bytes>}. */
  @Override
  public String toString() {
    return bytes != null ? "<binary: " + bytes.length + " bytes>" : json.toString();
  }
}
