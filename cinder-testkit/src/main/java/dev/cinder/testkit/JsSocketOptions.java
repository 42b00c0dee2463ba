package dev.cinder.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Options for {@link PhoenixJs#connect(String, JsSocketOptions)}: the phoenix {@code Socket} options, plus how
 * the driver waits for the first open. Unset options keep the client's defaults. Mutable builder:
 * {@code JsSocketOptions.create().params(Map.of("token", "t")).transport(JsTransport.LONGPOLL)}.
 */
public final class JsSocketOptions {
  private static final Duration DEFAULT_PUSH_TIMEOUT = Duration.ofSeconds(10);

  private Map<String, ?> params = Map.of();
  private JsTransport transport = JsTransport.WEBSOCKET;
  private String authToken;
  private String vsn;
  private Duration timeout;
  private Duration heartbeatInterval;
  private Duration longPollFallback;
  private Duration longpollerTimeout;
  private List<Duration> reconnectAfter;
  private List<Duration> rejoinAfter;
  private Map<String, String> headers;
  private Map<String, String> sessionStorage;
  private boolean awaitOpen = true;
  private Duration openTimeout = Duration.ofSeconds(5);
  private boolean debug;

  private JsSocketOptions() {}

  public static JsSocketOptions create() {
    return new JsSocketOptions();
  }

  /** Connect params, sent in the query string (nested maps use bracket notation). */
  public JsSocketOptions params(Map<String, ?> params) {
    this.params = Objects.requireNonNull(params, "params");
    return this;
  }

  public JsSocketOptions transport(JsTransport transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
    return this;
  }

  /** Sent as the {@code base64url.bearer.phx.} subprotocol (WebSocket) or {@code X-Phoenix-AuthToken} (long-poll). */
  public JsSocketOptions authToken(String authToken) {
    this.authToken = authToken;
    return this;
  }

  /** Only changes the {@code vsn} query param: the client always speaks the V2 serializer. */
  public JsSocketOptions vsn(String vsn) {
    this.vsn = vsn;
    return this;
  }

  /** Default timeout of joins, pushes and leaves (client default 10 s). */
  public JsSocketOptions timeout(Duration timeout) {
    this.timeout = timeout;
    return this;
  }

  public JsSocketOptions heartbeatInterval(Duration heartbeatInterval) {
    this.heartbeatInterval = heartbeatInterval;
    return this;
  }

  /** Enables the WebSocket-to-long-poll fallback ({@code longPollFallbackMs}). */
  public JsSocketOptions longPollFallback(Duration longPollFallback) {
    this.longPollFallback = longPollFallback;
    return this;
  }

  /** Per-request timeout of long-poll GETs and POSTs (client default 20 s). */
  public JsSocketOptions longpollerTimeout(Duration longpollerTimeout) {
    this.longpollerTimeout = longpollerTimeout;
    return this;
  }

  /** Reconnect delays per try, the last one repeating; shortens reconnect tests (client default 10 ms .. 5 s). */
  public JsSocketOptions reconnectAfter(Duration... delays) {
    this.reconnectAfter = List.of(delays);
    return this;
  }

  /** Rejoin delays per try, the last one repeating (client default 1 s, 2 s, 5 s, 10 s). */
  public JsSocketOptions rejoinAfter(Duration... delays) {
    this.rejoinAfter = List.of(delays);
    return this;
  }

  /**
   * Extra HTTP headers, e.g. {@code Origin} (browsers always send one, Node does not). Applied to the WebSocket
   * handshake or to every long-poll request, but not to a long-poll fallback transport.
   */
  public JsSocketOptions headers(Map<String, String> headers) {
    this.headers = Map.copyOf(headers);
    return this;
  }

  /** Initial sessionStorage of this socket, e.g. {@code phx:fallback:LongPoll=true} to start on long-poll. */
  public JsSocketOptions sessionStorage(Map<String, String> sessionStorage) {
    this.sessionStorage = Map.copyOf(sessionStorage);
    return this;
  }

  /**
   * Whether connect waits for the first open (default). Without it connect returns at once, for refused
   * connections whose error and close events the test then awaits.
   */
  public JsSocketOptions awaitOpen(boolean awaitOpen) {
    this.awaitOpen = awaitOpen;
    return this;
  }

  /** How long connect waits for the first open (default 5 s); then the socket is dropped and connect fails. */
  public JsSocketOptions openTimeout(Duration openTimeout) {
    this.openTimeout = Objects.requireNonNull(openTimeout, "openTimeout");
    return this;
  }

  /** Logs the client's own log lines (pushes, receives, transport) to the driver's stderr. */
  public JsSocketOptions debug(boolean debug) {
    this.debug = debug;
    return this;
  }

  boolean awaitsOpen() {
    return awaitOpen;
  }

  Duration openTimeout() {
    return openTimeout;
  }

  /** The client's default join/push/leave timeout for this socket. */
  Duration pushTimeout() {
    return timeout == null ? DEFAULT_PUSH_TIMEOUT : timeout;
  }

  /** The connect command's arguments; unset options are left out. */
  void writeTo(ObjectNode args) {
    set(args, "params", params);
    set(args, "transport", transport.wireName);
    set(args, "authToken", authToken);
    set(args, "vsn", vsn);
    set(args, "timeout", millis(timeout));
    set(args, "heartbeatIntervalMs", millis(heartbeatInterval));
    set(args, "longPollFallbackMs", millis(longPollFallback));
    set(args, "longpollerTimeout", millis(longpollerTimeout));
    set(args, "reconnectAfterMs", millis(reconnectAfter));
    set(args, "rejoinAfterMs", millis(rejoinAfter));
    set(args, "headers", headers);
    set(args, "sessionStorage", sessionStorage);
    set(args, "awaitOpen", awaitOpen);
    set(args, "openTimeoutMs", openTimeout.toMillis());
    set(args, "debug", debug);
  }

  private static void set(ObjectNode args, String name, Object value) {
    if (value != null) {
      args.set(name, PhoenixJs.JSON.valueToTree(value));
    }
  }

  private static Long millis(Duration duration) {
    return duration == null ? null : duration.toMillis();
  }

  private static List<Long> millis(List<Duration> durations) {
    return durations == null ? null : durations.stream().map(Duration::toMillis).toList();
  }

  @Override
  public String toString() {
    return "JsSocketOptions[transport=" + transport + ", params=" + params + ", awaitOpen=" + awaitOpen + "]";
  }
}
