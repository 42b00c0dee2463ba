package dev.cinder.http;

import dev.cinder.internal.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A complete HTTP request as an application route sees it.
 *
 * @param method upper-case method
 * @param path the decoded path, without the query
 * @param query query parameters, first value of each
 * @param pathParams values of the route's {@code {name}} segments
 * @param headers header values by lower-case name
 * @param body the body bytes (empty when none)
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> query,
    Map<String, String> pathParams,
    Map<String, List<String>> headers,
    byte[] body,
    InetSocketAddress peer) {

  /** The first value of a header, any case, or null. */
  public String header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  public String pathParam(String name) {
    return pathParams.get(name);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The body parsed as JSON; {@link IllegalArgumentException} when it is not valid JSON. */
  public JsonNode jsonBody() {
    try {
      return Json.MAPPER.readTree(body);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("the body is not valid JSON", e);
    }
  }

  /** The token of an {@code Authorization: Bearer <token>} header, or null. */
  public String bearerToken() {
    String value = header("authorization");
    if (value == null || !value.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    return value.substring(7).trim();
  }
}
