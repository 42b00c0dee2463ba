package dev.cinder.client.internal;

import dev.cinder.client.Transport;
import dev.cinder.client.TransportListener;
import dev.cinder.client.TransportRequest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * A WebSocket on {@code java.net.http}. Frames are sent one after another (the JDK allows one outstanding send);
 * a close that the server does not answer within 2 s aborts the connection.
 */
public final class WebSocketTransport implements Transport, WebSocket.Listener {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final TransportListener listener;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ReentrantLock sendLock = new ReentrantLock();
  private CompletableFuture<WebSocket> sending; // guarded by sendLock: the chain of sends
  // Parts of a message that arrives in several pieces; null between such messages, so that a large one does not keep
  // its buffer for the life of the connection. A message in one piece (the usual case) is handed on without them.
  private StringBuilder text;
  private ByteArrayOutputStream binary;

  private WebSocketTransport(TransportListener listener) {
    this.listener = listener;
  }

  /**
   * Starts connecting; the listener hears {@code onOpen} or {@code onError} then {@code onClose}. An upgrade not
   * answered within {@code handshakeTimeout} fails.
   */
  public static WebSocketTransport open(HttpClient client, TransportRequest request, TransportListener listener,
                                        Duration handshakeTimeout) {
    WebSocketTransport transport = new WebSocketTransport(listener);
    // bounds the whole upgrade, answer included: an upgrade left unanswered is aborted (and its connection closed)
    // instead of hanging, which also ends an attempt the socket gave up on when falling back to long-poll
    WebSocket.Builder builder = client.newWebSocketBuilder().connectTimeout(handshakeTimeout);
    for (Map.Entry<String, String> header : request.headers().entrySet()) {
      builder.header(header.getKey(), header.getValue());
    }
    List<String> protocols = request.subprotocols();
    if (!protocols.isEmpty()) {
      builder.subprotocols(protocols.get(0), protocols.subList(1, protocols.size()).toArray(new String[0]));
    }
    // sends wait for the connection; set before connecting, as onOpen may come before buildAsync returns
    CompletableFuture<WebSocket> connected = new CompletableFuture<>();
    transport.sendLock.lock();
    try {
      transport.sending = connected;
    } finally {
      transport.sendLock.unlock();
    }
    CompletableFuture<WebSocket> connecting;
    try {
      connecting = builder.buildAsync(Urls.of(request.endpoint(), "websocket", request.query(), true), transport);
    } catch (RuntimeException badRequest) {
      connecting = CompletableFuture.failedFuture(badRequest);
    }
    connecting.whenComplete((ws, error) -> {
      if (error != null) {
        connected.completeExceptionally(error);
        transport.fail(handshakeError(error));
      } else {
        connected.complete(ws);
        if (transport.closed.get()) {
          ws.abort(); // closed while connecting
        }
      }
    });
    return transport;
  }

  /** The handshake's failure without the future's wrapper, naming the HTTP status of a refused upgrade. */
  private static Throwable handshakeError(Throwable error) {
    Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    if (cause instanceof WebSocketHandshakeException) {
      int status = ((WebSocketHandshakeException) cause).getResponse().statusCode();
      return new IOException("WebSocket upgrade refused with HTTP status " + status, cause);
    }
    return cause;
  }

  @Override
  public String name() {
    return "websocket";
  }

  @Override
  public void sendText(String frame) {
    chain(ws -> ws.sendText(frame, true));
  }

  @Override
  public void sendBinary(ByteBuffer frame) {
    chain(ws -> ws.sendBinary(frame, true));
  }

  @Override
  public void close(int code, String reason) {
    chain(ws -> ws.sendClose(code, reason == null ? "" : reason));
    // the server answers a close with its own; one that does not (or a connect that hangs) is cut off
    CompletableFuture.delayedExecutor(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS).execute(() -> {
      boolean first = !closed.get();
      closeOnce(code, reason);
      if (first) {
        sendLock.lock();
        try {
          sending.thenAccept(WebSocket::abort);
        } finally {
          sendLock.unlock();
        }
      }
    });
  }

  private void chain(Function<WebSocket, CompletableFuture<WebSocket>> send) {
    sendLock.lock();
    try {
      sending = sending.thenCompose(ws -> {
        if (ws.isOutputClosed()) {
          return CompletableFuture.completedFuture(ws);
        }
        try {
          return send.apply(ws).exceptionally(error -> ws); // a failed send ends in onError/onClose, not here
        } catch (RuntimeException closedMeanwhile) {
          return CompletableFuture.completedFuture(ws);
        }
      });
    } finally {
      sendLock.unlock();
    }
  }

  @Override
  public void onOpen(WebSocket webSocket) {
    listener.onOpen();
    webSocket.request(1);
  }

  @Override
  public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
    if (last && text == null) {
      listener.onText(data.toString());
    } else {
      if (text == null) {
        text = new StringBuilder();
      }
      text.append(data);
      if (last) {
        String frame = text.toString();
        text = null;
        listener.onText(frame);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
    byte[] chunk = new byte[data.remaining()];
    data.get(chunk);
    if (last && binary == null) {
      listener.onBinary(ByteBuffer.wrap(chunk));
    } else {
      if (binary == null) {
        binary = new ByteArrayOutputStream();
      }
      binary.write(chunk, 0, chunk.length);
      if (last) {
        ByteBuffer frame = ByteBuffer.wrap(binary.toByteArray());
        binary = null;
        listener.onBinary(frame);
      }
    }
    webSocket.request(1);
    return null;
  }

  @Override
  public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
    closeOnce(statusCode, reason);
    return null;
  }

  @Override
  public void onError(WebSocket webSocket, Throwable error) {
    fail(error);
  }

  private void fail(Throwable error) {
    if (!closed.get()) {
      listener.onError(error);
    }
    closeOnce(1006, String.valueOf(error.getMessage()));
  }

  private void closeOnce(int code, String reason) {
    if (closed.compareAndSet(false, true)) {
      listener.onClose(code, reason == null ? "" : reason);
    }
  }
}
