package dev.cinder.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One phoenix {@code Socket} in the driver. Its events (open, close with code and reason, error) are logged in
 * arrival order; the await methods consume them. The client reconnects by itself after any close it did not
 * initiate, so a close is usually followed by another open.
 */
public final class JsSocket {
  private final PhoenixJs js;
  private final String name;
  private final EventLog events;
  private final Duration pushTimeout;

  JsSocket(PhoenixJs js, String name, EventLog events, Duration pushTimeout) {
    this.js = js;
    this.name = name;
    this.events = events;
    this.pushTimeout = pushTimeout;
  }

  /** The driver's name for this socket. */
  public String name() {
    return name;
  }

  /** A handle on a topic; nothing is sent until {@link JsChannel#join}. */
  public JsChannel channel(String topic) {
    return new JsChannel(js, this, topic, js.log(name, topic));
  }

  /** Joins {@code topic} and returns the join reply; {@code channel(topic)} then pushes on it. */
  public JsReply join(String topic, Map<String, ?> params) {
    return channel(topic).join(params);
  }

  /** Waits for the next open (the first one, which connect waited for, is already consumed). */
  public void awaitOpen(Duration timeout) {
    events.await(type("open"), timeout, "an open");
  }

  /** Waits for the next close and returns its code (1006 for an abrupt close or a refused connection). */
  public int awaitClose(Duration timeout) {
    return awaitEvent("close", timeout).path("code").asInt();
  }

  /** Waits for the next transport error and returns its description, e.g. "Unexpected server response: 403". */
  public String awaitError(Duration timeout) {
    return awaitEvent("error", timeout).path("reason").asString();
  }

  /** Waits for the next socket event of a type (open, close, error) and returns it whole. */
  public JsonNode awaitEvent(String type, Duration timeout) {
    return events.await(type(type), timeout, "a " + type + " event");
  }

  public void assertNoClose(Duration within) {
    events.assertNone(type("close"), within, "close");
  }

  /** Every event of this socket so far, consumed or not. */
  public List<JsonNode> events() {
    return events.history();
  }

  /** Sends an extra heartbeat ({@code socket.ping}) and returns the round-trip time in ms. */
  public long ping() {
    return js.call("ping", args()).path("rtt").asLong();
  }

  /**
   * The client's view: {@code connectionState} (connecting, open, closing, closed), {@code connected},
   * {@code transport} ("WebSocket" or "LongPoll"), {@code channels} (topic to state and joinRef) and
   * {@code sessionStorage}.
   */
  public JsonNode state() {
    return js.call("state", args());
  }

  /** The transport in use now: "WebSocket" or "LongPoll" (after a fallback, say). */
  public String transport() {
    return state().path("transport").asString();
  }

  public String connectionState() {
    return state().path("connectionState").asString();
  }

  /** {@code socket.disconnect()}: a close frame without a status code (the server sees 1005); no reconnect. */
  public void disconnect() {
    js.call("disconnect", args());
  }

  /**
   * Breaks the connection under the client, with no close frame (a network drop): the client notices, reconnects
   * after its {@code reconnectAfterMs} and rejoins its channels.
   */
  public void drop() {
    js.call("drop", args());
  }

  public void disconnect(int code, String reason) {
    js.call("disconnect", args().put("code", code).put("reason", reason));
  }

  ObjectNode args() {
    return PhoenixJs.args().put("socket", name);
  }

  /** How long the client waits for a reply when a push names no timeout. */
  Duration pushTimeout() {
    return pushTimeout;
  }

  static Predicate<JsonNode> type(String type) {
    return event -> type.equals(event.path("type").asString());
  }

  @Override
  public String toString() {
    return "JsSocket[" + name + "]";
  }
}
