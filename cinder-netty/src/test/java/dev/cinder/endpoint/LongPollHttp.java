package dev.cinder.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Raw long-poll requests to one endpoint's /socket/longpoll, for what the official client cannot do. */
final class LongPollHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** An answer: the HTTP status and the JSON body (null if empty). */
  record Answer(int httpStatus, JsonNode body) {
    int status() {
      return body.get("status").intValue();
    }
  }

  private final int port;

  LongPollHttp(int port) {
    this.port = port;
  }

  private URI uri(String query) {
    return URI.create("http://127.0.0.1:" + port + "/socket/longpoll?" + query);
  }

  /** A handshake (no token) or a poll (token in the query, as phoenix.js 1.8.16 sends it). */
  Answer get(String query) {
    return getAsync(query).join();
  }

  CompletableFuture<Answer> getAsync(String query) {
    HttpRequest request = HttpRequest.newBuilder(uri(query)).timeout(Duration.ofSeconds(20)).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(LongPollHttp::answer);
  }

  /** A handshake for {@code user}: the answer carries the new session's token (status 410) or a refusal. */
  Answer open(String user) {
    return get("user=" + user + "&vsn=2.0.0");
  }

  /** A poll of the session that {@code token} names. */
  Answer poll(String token) {
    return get("vsn=2.0.0&token=" + token);
  }

  /**
   * Whether the session still works: a heartbeat is answered, and that reply is all the next poll brings
   * (call it only while nothing else is buffered for the session).
   */
  boolean answersAHeartbeat(String token) {
    if (post(token, "[null,\"hb\",\"phoenix\",\"heartbeat\",{}]").status() != 200) {
      return false;
    }
    Answer polled = poll(token);
    return polled.status() == 200 && polled.body().get("messages").size() == 1
        && polled.body().get("messages").get(0).stringValue().equals("[null,\"hb\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
  }

  /** ndjson lines with the token in the header, as phoenix.js 1.9 sends it. */
  Answer post(String token, String ndjson) {
    HttpRequest request = HttpRequest.newBuilder(uri("vsn=2.0.0")).timeout(Duration.ofSeconds(20))
        .header("x-phoenix-longpoll-token", token).header("content-type", "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(ndjson)).build();
    return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(LongPollHttp::answer).join();
  }

  private static Answer answer(HttpResponse<String> r) {
    return new Answer(r.statusCode(), r.body().isEmpty() ? null : JSON.readTree(r.body()));
  }
}
