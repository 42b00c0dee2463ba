package dev.cinder.client;

import dev.cinder.client.internal.Timers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connection attempts: opening a transport, reconnecting with backoff after a close, and the long-poll fallback.
 * Lives on the socket's event loop; a transport's callbacks are handed to the loop and ignored once their attempt
 * is no longer the current one.
 */
final class Attempts {
  private static final String AUTH_TOKEN_PREFIX = "base64url.bearer.phx.";

  private final Connection connection;
  private final TransportFactory primary;
  private final TransportFactory longPoll;
  private final List<CompletableFuture<Void>> openWaiters = new ArrayList<>();
  private Attempt current;
  private boolean wanted;
  private int failures;
  private Timers.Timer reconnectTimer;
  private Timers.Timer fallbackTimer;
  private boolean fellBack;
  private boolean established;
  private volatile String transportName;

  Attempts(Connection connection, TransportFactory primary, TransportFactory longPoll) {
    this.connection = connection;
    this.primary = primary;
    this.longPoll = longPoll;
    this.transportName = nameOf(primary);
  }

  String transportName() {
    return transportName;
  }

  /** The transport of the current attempt if it is open. */
  Transport openTransport() {
    return current != null && current.open ? current.transport : null;
  }

  void connect(CompletableFuture<Void> opened) {
    wanted = true;
    if (current != null && current.open) {
      connection.complete(opened, null);
      return;
    }
    openWaiters.add(opened);
    if (current == null && reconnectTimer == null) {
      start();
    }
  }

  /** Stops; {@code closed} completes (on whatever thread) once the transport closed, or after 3 s. */
  void disconnect(CompletableFuture<Void> closed) {
    wanted = false;
    cancelTimers();
    failWaiters();
    Attempt attempt = current;
    if (attempt == null) {
      closed.complete(null);
      return;
    }
    current = null;
    // the socket counts as closed (and its listeners hear it) before disconnect() can complete
    connection.closed(new CloseEvent(1000, "", false));
    attempt.transport.close(1000, "");
    attempt.closed.completeOnTimeout(null, 3, TimeUnit.SECONDS)
        .whenComplete((ignored, error) -> closed.complete(null));
  }

  /** Closes the current connection on our side (e.g. a heartbeat timeout) and reconnects. */
  void abnormalClose(String reason) {
    Attempt attempt = current;
    if (attempt != null) {
      current = null;
      attempt.transport.close(1000, reason);
      ended(attempt, 1000, reason);
    }
  }

  private void start() {
    TransportFactory factory = fellBack ? longPoll : primary;
    Attempt attempt = new Attempt(factory == primary && connection.config.longPollFallback != null);
    current = attempt;
    transportName = nameOf(factory);
    TransportRequest request;
    try {
      request = request();
    } catch (RuntimeException e) {
      connection.reportError(new IllegalStateException("the socket's params or auth token supplier failed", e));
      current = null;
      ended(attempt, 1006, "params supplier failed");
      return;
    }
    try {
      attempt.transport = factory.open(request, attempt);
      transportName = attempt.transport.name();
    } catch (RuntimeException e) {
      connection.reportError(e);
      current = null;
      ended(attempt, 1006, String.valueOf(e.getMessage()));
      return;
    }
    if (attempt.mayFallBack && !fellBack && !established) {
      fallbackTimer = Timers.schedule(connection.config.longPollFallback, connection.loop, () -> {
        fallbackTimer = null;
        if (current == attempt && !attempt.open) {
          current = null;
          attempt.transport.close(1000, "falling back to long-poll");
          ended(attempt, 1006, "websocket did not open in time");
        }
      });
    }
  }

  private TransportRequest request() {
    Map<String, String> query = new LinkedHashMap<>();
    Map<String, ?> params = connection.config.params.get();
    if (params != null) {
      params.forEach((key, value) -> query.put(key, String.valueOf(value)));
    }
    query.put("vsn", connection.codec.vsn());
    List<String> subprotocols = new ArrayList<>();
    String token = connection.config.authToken == null ? null : connection.config.authToken.get();
    if (token != null && !token.isEmpty()) {
      subprotocols.add("phoenix");
      subprotocols.add(AUTH_TOKEN_PREFIX
          + Base64.getEncoder().withoutPadding().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
    }
    return new TransportRequest(connection.config.endpoint, Collections.unmodifiableMap(query),
        List.copyOf(subprotocols), connection.config.headers);
  }

  private void opened(Attempt attempt) {
    attempt.open = true;
    failures = 0;
    if (attempt.mayFallBack) {
      established = true;
    }
    cancelFallbackTimer();
    // the open listeners are read first: one added once connect() completed must not hear this open
    connection.opened();
    for (CompletableFuture<Void> waiter : openWaiters) {
      connection.complete(waiter, null);
    }
    openWaiters.clear();
  }

  /** The attempt is over (closed by either side, or failed); it is no longer current. */
  private void ended(Attempt attempt, int code, String reason) {
    cancelFallbackTimer();
    boolean fallBack = wanted && attempt.mayFallBack && !attempt.open && !established && !fellBack;
    if (fallBack) {
      fellBack = true;
    }
    connection.closed(new CloseEvent(code, reason, wanted));
    if (!wanted) {
      return;
    }
    if (fallBack) {
      start();
    } else {
      failures++;
      reconnectTimer = Timers.schedule(connection.config.reconnectBackoff.delay(failures), connection.loop, () -> {
        reconnectTimer = null;
        if (wanted && current == null) {
          start();
        }
      });
    }
  }

  private void cancelTimers() {
    if (reconnectTimer != null) {
      reconnectTimer.cancel();
      reconnectTimer = null;
    }
    cancelFallbackTimer();
  }

  private void cancelFallbackTimer() {
    if (fallbackTimer != null) {
      fallbackTimer.cancel();
      fallbackTimer = null;
    }
  }

  private void failWaiters() {
    for (CompletableFuture<Void> waiter : openWaiters) {
      connection.fail(waiter, new IllegalStateException("disconnected before the connection opened"));
    }
    openWaiters.clear();
  }

  private static String nameOf(TransportFactory factory) {
    return factory instanceof Transports.Named named ? named.name() : "custom";
  }

  /** One transport attempt: the transport's listener, handing every event to the loop. */
  private final class Attempt implements TransportListener {
    final boolean mayFallBack;
    final CompletableFuture<Void> closed = new CompletableFuture<>();
    Transport transport;
    boolean open;

    Attempt(boolean mayFallBack) {
      this.mayFallBack = mayFallBack;
    }

    @Override
    public void onOpen() {
      connection.loop.execute(() -> {
        if (current == this && !open) {
          opened(this);
        }
      });
    }

    @Override
    public void onText(String frame) {
      connection.loop.execute(() -> {
        if (current == this) {
          connection.received(frame, null);
        }
      });
    }

    @Override
    public void onBinary(ByteBuffer frame) {
      connection.loop.execute(() -> {
        if (current == this) {
          connection.received(null, frame);
        }
      });
    }

    @Override
    public void onClose(int code, String reason) {
      closed.complete(null);
      connection.loop.execute(() -> {
        if (current == this) {
          current = null;
          ended(this, code, reason);
        }
      });
    }

    @Override
    public void onError(Throwable error) {
      connection.loop.execute(() -> {
        if (current == this) {
          connection.reportError(error);
          current = null;
          transport.close(1000, "error");
          ended(this, 1006, String.valueOf(error.getMessage()));
        }
      });
    }
  }
}
