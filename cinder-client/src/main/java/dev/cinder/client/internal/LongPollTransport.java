package dev.cinder.client.internal;

import dev.cinder.client.Transport;
import dev.cinder.client.TransportListener;
import dev.cinder.client.TransportRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Long-poll on {@code java.net.http}: a {@code GET} without a session token is the handshake ({@code 410} with a
 * token means open), then {@code GET}s poll ({@code 200} with messages, {@code 204} nothing yet, {@code 410} the
 * session is gone). Sends are batched: while one {@code POST} is in flight, later frames wait and go together in
 * the next one ({@code application/x-ndjson}, binary frames as Base64 lines, at most 100 lines per POST). Protocol
 * 1.0.0 frames are JSON objects, which an ndjson body cannot carry (a line not starting with {@code [} is read as
 * Base64): they go one per POST as {@code application/json}.
 */
public final class LongPollTransport implements Transport {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final int MAX_BATCH = 100;
  private static final String AUTH_PREFIX = "base64url.bearer.phx.";

  private final HttpClient client;
  private final TransportRequest request;
  private final TransportListener listener;
  private final Duration requestTimeout;
  private final String authToken;
  private final boolean onePerPost;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final Set<CompletableFuture<?>> inFlight = ConcurrentHashMap.newKeySet();
  private final ReentrantLock lock = new ReentrantLock();
  private final ArrayDeque<String> outbox = new ArrayDeque<>(); // guarded by lock
  private boolean posting; // guarded by lock
  private volatile String token;
  private volatile boolean open;

  private LongPollTransport(HttpClient client, TransportRequest request, TransportListener listener,
                            Duration requestTimeout) {
    this.client = client;
    this.request = request;
    this.listener = listener;
    this.requestTimeout = requestTimeout;
    this.authToken = authToken(request.subprotocols());
    this.onePerPost = String.valueOf(request.query().get("vsn")).startsWith("1.");
  }

  /** Starts the handshake. */
  public static LongPollTransport open(HttpClient client, TransportRequest request, TransportListener listener,
                                       Duration requestTimeout) {
    LongPollTransport transport = new LongPollTransport(client, request, listener, requestTimeout);
    transport.poll();
    return transport;
  }

  @Override
  public String name() {
    return "longpoll";
  }

  @Override
  public void sendText(String frame) {
    enqueue(frame);
  }

  @Override
  public void sendBinary(ByteBuffer frame) {
    ByteBuffer copy = frame.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    enqueue(Base64.getEncoder().encodeToString(bytes));
  }

  @Override
  public void close(int code, String reason) {
    finish(code, reason);
  }

  private void poll() {
    if (closed.get()) {
      return;
    }
    HttpRequest.Builder get = requestTo().GET().header("Accept", "application/json");
    if (authToken != null) {
      get.header("X-Phoenix-AuthToken", authToken);
    }
    send(get.build(), this::onPolled);
  }

  private void onPolled(JsonNode body) {
    int status = body.path("status").asInt(0);
    String previous = token;
    if (status == 410 && previous != null) {
      finish(3410, "session_gone");
      return;
    }
    JsonNode newToken = body.get("token");
    if (newToken != null && newToken.isString()) {
      token = newToken.stringValue();
    }
    switch (status) {
      case 200:
        for (JsonNode message : body.path("messages")) {
          if (closed.get()) {
            return;
          }
          listener.onText(message.isString() ? message.stringValue() : message.toString());
        }
        poll();
        break;
      case 204:
        poll();
        break;
      case 410:
        open = true;
        listener.onOpen();
        flush();
        poll();
        break;
      case 403:
        fail(new IOException("long-poll connection refused (status 403" + errorText(body) + ")"), 1008,
            "forbidden");
        break;
      default:
        fail(new IOException("long-poll answered status " + status + errorText(body)), 1011,
            "internal server error");
    }
  }

  private void enqueue(String line) {
    lock.lock();
    try {
      outbox.add(line);
    } finally {
      lock.unlock();
    }
    flush();
  }

  private void flush() {
    List<String> batch = new ArrayList<>();
    lock.lock();
    try {
      if (posting || !open || outbox.isEmpty() || closed.get()) {
        return;
      }
      while (batch.size() < (onePerPost ? 1 : MAX_BATCH) && !outbox.isEmpty()) {
        batch.add(outbox.poll());
      }
      posting = true;
    } finally {
      lock.unlock();
    }
    HttpRequest post = requestTo().header("Content-Type", onePerPost ? "application/json" : "application/x-ndjson")
        .POST(HttpRequest.BodyPublishers.ofString(String.join("\n", batch), StandardCharsets.UTF_8)).build();
    send(post, body -> {
      int status = body.path("status").asInt(0);
      if (status != 200) {
        fail(new IOException("long-poll POST answered status " + status + errorText(body)), 1011,
            "internal server error");
        return;
      }
      lock.lock();
      try {
        posting = false;
      } finally {
        lock.unlock();
      }
      flush();
    });
  }

  private HttpRequest.Builder requestTo() {
    Map<String, String> query = new LinkedHashMap<>(request.query());
    String session = token;
    if (session != null) {
      query.remove("token");
      query.put("token", session); // last, as the server takes the last one
    }
    URI uri = Urls.of(request.endpoint(), "longpoll", query, false);
    HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(requestTimeout);
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    if (session != null) {
      builder.header("X-Phoenix-LongPoll-Token", session);
    }
    return builder;
  }

  private void send(HttpRequest httpRequest, Consumer<JsonNode> onBody) {
    CompletableFuture<HttpResponse<String>> future;
    try {
      future = client.sendAsync(httpRequest, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      fail(e, 1011, "request failed");
      return;
    }
    inFlight.add(future);
    future.whenComplete((response, error) -> {
      inFlight.remove(future);
      if (closed.get()) {
        return;
      }
      if (error != null) {
        fail(error, 1005, "request failed: " + error.getClass().getSimpleName());
        return;
      }
      if (response.statusCode() != 200) {
        fail(new IOException("long-poll request answered HTTP " + response.statusCode()), 1011,
            "internal server error");
        return;
      }
      JsonNode body;
      try {
        body = MAPPER.readTree(response.body());
      } catch (RuntimeException e) {
        fail(new IOException("long-poll answer is not JSON: " + e.getMessage(), e), 1011, "bad answer");
        return;
      }
      onBody.accept(body);
    });
  }

  private void fail(Throwable error, int code, String reason) {
    if (!closed.get()) {
      listener.onError(error);
    }
    finish(code, reason);
  }

  private void finish(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      for (CompletableFuture<?> request : inFlight) {
        request.cancel(true);
      }
      listener.onClose(code, reason == null ? "" : reason);
    }
  }

  private static String errorText(JsonNode body) {
    JsonNode error = body.get("error");
    return error == null ? "" : ": " + error.asString();
  }

  private static String authToken(List<String> subprotocols) {
    for (String protocol : subprotocols) {
      if (protocol.startsWith(AUTH_PREFIX)) {
        try {
          return new String(Base64.getDecoder().decode(protocol.substring(AUTH_PREFIX.length())),
              StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
          return null;
        }
      }
    }
    return null;
  }
}
