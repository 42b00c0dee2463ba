package dev.cinder.bench.client;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A long-poll answer, checked as phoenix.js reads it: HTTP 200, a JSON content type, the logical status in the body,
 * and on GETs answering 410, 200 or 204 also the session token and {@code messages}, an array of strings.
 */
public record LongPollBody(int status, String token, List<String> messages) {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The parsed body, or null when the answer is not what docs/protocol.md, "Long-poll", promises. */
  public static LongPollBody parse(FullHttpResponse response, boolean get) {
    String type = response.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
    if (response.status().code() != 200 || !type.startsWith("application/json")) {
      return null;
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.content().toString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return null;
    }
    JsonNode status = body.get("status");
    if (status == null || !status.isInt()) {
      return null;
    }
    int s = status.asInt();
    if (!get || s == 403) {
      return new LongPollBody(s, null, List.of());
    }
    JsonNode token = body.get("token");
    JsonNode messages = body.get("messages");
    if (token == null || !token.isString() || messages == null || !messages.isArray()) {
      return null;
    }
    List<String> out = new ArrayList<>(messages.size());
    for (JsonNode m : messages) {
      if (!m.isString()) {
        return null; // an array of strings, not of arrays
      }
      out.add(m.asString());
    }
    return new LongPollBody(s, token.asString(), out);
  }
}
