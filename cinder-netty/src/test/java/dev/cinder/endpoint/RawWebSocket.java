package dev.cinder.endpoint;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A plain WebSocket client (the JDK's) for sending frames the official client never would: malformed JSON,
 * wrong arity, oversized frames. Collects what the server sends and how it closed.
 */
final class RawWebSocket implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final WebSocket ws;
  private final BlockingQueue<Object> received = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();

  private final boolean stallAfterFirst;
  private volatile int delivered;

  private RawWebSocket(URI uri, boolean stallAfterFirst) {
    this.stallAfterFirst = stallAfterFirst;
    Listener listener = new Listener();
    this.ws = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5)).buildAsync(uri, listener).join();
  }

  static RawWebSocket connect(String uri) {
    return new RawWebSocket(URI.create(uri), false);
  }

  /**
   * A client that reads one message (e.g. its join reply) and then stops reading: the JDK client only pulls
   * from the socket on demand, so the server's writes back up like a stalled peer's.
   */
  static RawWebSocket connectStalling(String uri) {
    return new RawWebSocket(URI.create(uri), true);
  }

  /** Messages received so far (including consumed ones). */
  int receivedCount() {
    return delivered;
  }

  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next text message, failing after the timeout. */
  String nextText(Duration timeout) throws InterruptedException {
    Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!(next instanceof String text)) {
      throw new AssertionError("expected a text frame within " + timeout + ", got " + next);
    }
    return text;
  }

  /** The next binary message, failing after the timeout. */
  byte[] nextBinary(Duration timeout) throws InterruptedException {
    Object next = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (!(next instanceof byte[] bytes)) {
      throw new AssertionError("expected a binary frame within " + timeout + ", got " + next);
    }
    return bytes;
  }

  /** The close code the server sent, failing after the timeout. */
  int awaitClose(Duration timeout) throws Exception {
    return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  boolean isClosed() {
    return closed.isDone();
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "").exceptionally(e -> null);
    }
    ws.abort();
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder text = new StringBuilder();
    private java.io.ByteArrayOutputStream binary = new java.io.ByteArrayOutputStream();

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      text.append(data);
      if (last) {
        received.add(text.toString());
        text.setLength(0);
        delivered++;
      }
      if (!(stallAfterFirst && delivered >= 1)) {
        webSocket.request(1);
      }
      return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
      byte[] chunk = new byte[data.remaining()];
      data.get(chunk);
      binary.writeBytes(chunk);
      if (last) {
        received.add(binary.toByteArray());
        binary = new java.io.ByteArrayOutputStream();
      }
      webSocket.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
      closed.complete(statusCode);
      return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
      closed.complete(-1);
    }
  }
}
