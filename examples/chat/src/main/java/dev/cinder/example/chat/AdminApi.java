package dev.cinder.example.chat;

import dev.cinder.PubSub;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.http.HttpRequest;
import dev.cinder.http.HttpResponse;
import dev.cinder.http.RouteOptions;
import dev.cinder.token.PhoenixToken;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/** The example's HTTP API: tokens for users, and admin broadcasts and disconnects behind a bearer token. */
public final class AdminApi {
  private final PubSub pubSub;
  private final PhoenixToken tokens;
  private final byte[] adminToken;

  public AdminApi(PubSub pubSub, PhoenixToken tokens, String adminToken) {
    this.pubSub = pubSub;
    this.tokens = tokens;
    this.adminToken = adminToken.getBytes(StandardCharsets.UTF_8);
  }

  /** Adds the API's routes to {@code builder}: {@code /api/token} open to all, the admin routes behind {@link #adminOnly}. */
  public Endpoint.Builder routes(Endpoint.Builder builder) {
    RouteOptions adminOnly = RouteOptions.defaults().guard(this::adminOnly);
    return builder.post("/api/token", this::token)
        .post("/api/broadcast", this::broadcast, adminOnly)
        .post("/api/users/{user_id}/disconnect", this::disconnect, adminOnly);
  }

  /** {@code POST /api/token {"user_id"}} → a Phoenix.Token of the user id. */
  HttpResponse token(HttpRequest request) {
    JsonNode body;
    try {
      body = request.jsonBody();
    } catch (IllegalArgumentException e) {
      return HttpResponse.error(400, "the body must be JSON: {\"user_id\": \"...\"}");
    }
    JsonNode userId = body.get("user_id");
    if (userId == null || !userId.isString() || !UserIds.valid(userId.stringValue())) {
      return HttpResponse.error(400, "user_id must match ^[A-Za-z0-9_-]{1,64}$");
    }
    return HttpResponse.json(200, Map.of("token", tokens.sign(UserSocket.TOKEN_SALT, userId.stringValue())));
  }

  /**
   * The guard of the admin routes: refuses a request without the admin bearer token from its headers, so
   * its body (of whatever announced size) is never read.
   */
  Optional<HttpResponse> adminOnly(HttpRequest head) {
    return authorized(head) ? Optional.empty() : Optional.of(HttpResponse.error(401, "unauthorized"));
  }

  /** {@code POST /api/broadcast {"topic","event","payload"}} → broadcast from outside any channel (guarded). */
  HttpResponse broadcast(HttpRequest request) {
    JsonNode body;
    try {
      body = request.jsonBody();
    } catch (IllegalArgumentException e) {
      return HttpResponse.error(400, "the body must be JSON");
    }
    JsonNode topic = body.get("topic");
    JsonNode event = body.get("event");
    JsonNode payload = body.get("payload");
    if (topic == null || !topic.isString() || topic.stringValue().isEmpty()
        || event == null || !event.isString() || event.stringValue().isEmpty()
        || payload == null || !payload.isObject()) {
      return HttpResponse.error(400, "expected {\"topic\": string, \"event\": string, \"payload\": object}");
    }
    pubSub.broadcast(topic.stringValue(), event.stringValue(), payload);
    return HttpResponse.json(202, Map.of("ok", true));
  }

  /** {@code POST /api/users/{user_id}/disconnect} → every socket of that user closes (guarded). */
  HttpResponse disconnect(HttpRequest request) {
    String userId = request.pathParam("user_id");
    if (!UserIds.valid(userId)) {
      return HttpResponse.error(400, "invalid user id");
    }
    pubSub.broadcast("user_socket:" + userId, "disconnect", Map.of());
    return HttpResponse.json(202, Map.of("ok", true));
  }

  private boolean authorized(HttpRequest request) {
    String token = request.bearerToken();
    return token != null && MessageDigest.isEqual(token.getBytes(StandardCharsets.UTF_8), adminToken);
  }
}
