package dev.cinder.http;

import dev.cinder.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** An HTTP response of an application route. */
public record HttpResponse(int status, String contentType, byte[] body, Map<String, String> headers) {
  public static final String JSON = "application/json; charset=utf-8";

  public HttpResponse {
    headers = Map.copyOf(headers);
  }

  /** A JSON response; {@code value} is a map, record or JsonNode. */
  public static HttpResponse json(int status, Object value) {
    return new HttpResponse(status, JSON, Json.MAPPER.writeValueAsBytes(value), Map.of());
  }

  public static HttpResponse text(int status, String contentType, String text) {
    return new HttpResponse(status, contentType, text.getBytes(StandardCharsets.UTF_8), Map.of());
  }

  public static HttpResponse bytes(int status, String contentType, byte[] body) {
    return new HttpResponse(status, contentType, body, Map.of());
  }

  /** A JSON error body {@code {"error": message}}. */
  public static HttpResponse error(int status, String message) {
    return json(status, Map.of("error", message));
  }

  public HttpResponse withHeader(String name, String value) {
    var copy = new java.util.HashMap<>(headers);
    copy.put(name, value);
    return new HttpResponse(status, contentType, body, copy);
  }
}
