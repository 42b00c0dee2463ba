package dev.cinder.testkit;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A topic of a {@link JsSocket}. The driver keeps the newest phoenix {@code Channel} per topic: joining again
 * replaces it (and the client leaves the old one, as phoenix.js does). The log of this topic receives every
 * wire message the channel accepted (including {@code phx_reply}, {@code phx_close}, {@code phx_error}),
 * {@code channelError}/{@code channelClose} events (also the client's local ones) and presence events.
 * Timeouts left null use the socket's default (10 s unless {@link JsSocketOptions#timeout} says otherwise).
 */
public final class JsChannel {
  private final PhoenixJs js;
  private final JsSocket socket;
  private final String topic;
  private final EventLog events;

  JsChannel(PhoenixJs js, JsSocket socket, String topic, EventLog events) {
    this.js = js;
    this.socket = socket;
    this.topic = topic;
    this.events = events;
  }

  public String topic() {
    return topic;
  }

  public JsSocket socket() {
    return socket;
  }

  /**
   * Attaches a phoenix {@code Presence} to this topic's channels. Call it <b>before</b> {@link #join}: the
   * server's {@code presence_state} comes right after the join reply. Every onSync then logs a
   * {@code presenceSync} event with {@code Presence.list()}, onJoin/onLeave log {@code presenceJoin}
   * ({@code key, current, joined}) and {@code presenceLeave} ({@code key, current, left}).
   */
  public JsChannel trackPresence() {
    js.call("presence", args());
    return this;
  }

  public JsReply join() {
    return join(Map.of(), null);
  }

  public JsReply join(Map<String, ?> params) {
    return join(params, null);
  }

  /**
   * Joins and returns the first reply: "ok", "error" (the client then retries by itself, with rejoin
   * backoff) or "timeout". Fails if the client never answers, e.g. while the socket cannot open.
   */
  public JsReply join(Map<String, ?> params, Duration timeout) {
    ObjectNode args = withTimeout(args(), timeout);
    args.set("params", PhoenixJs.JSON.valueToTree(params));
    return JsReply.from(js.call("join", args, callTimeout(timeout)));
  }

  /**
   * Joins through Cinder's recovery helper ({@code cinder-js/recovery.mjs}): the client asks for positions, and on
   * every rejoin for what it missed since its last one. Each join's outcome arrives as a {@code recovery} event
   * ({@link #awaitEvent}): {@code {"recovery": {"recovered", "position", "reason"}, "position": <tracked>}}.
   */
  public JsReply joinRecovering(Map<String, ?> params) {
    ObjectNode args = withTimeout(args(), null);
    args.set("params", PhoenixJs.JSON.valueToTree(params));
    args.put("recover", true);
    return JsReply.from(js.call("join", args, callTimeout(null)));
  }

  /** Pushes a JSON payload (a Map, record, JsonNode...) and returns the reply. */
  public JsReply push(String event, Object payload) {
    return push(event, payload, null);
  }

  public JsReply push(String event, Object payload, Duration timeout) {
    ObjectNode args = withTimeout(args().put("event", event), timeout);
    args.set("payload", PhoenixJs.JSON.valueToTree(payload));
    return JsReply.from(js.call("push", args, callTimeout(timeout)));
  }

  /** Pushes an ArrayBuffer payload (a binary frame); a binary reply comes back in {@link JsReply#binary()}. */
  public JsReply pushBinary(String event, byte[] data) {
    return pushBinary(event, data, null);
  }

  public JsReply pushBinary(String event, byte[] data, Duration timeout) {
    ObjectNode args = withTimeout(args().put("event", event), timeout);
    args.put("binaryBase64", Base64.getEncoder().encodeToString(data));
    return JsReply.from(js.call("push", args, callTimeout(timeout)));
  }

  /** Pushes without waiting for a reply; returns the push's ref (null if it was buffered before a join). */
  public String pushNoReply(String event, Object payload) {
    ObjectNode args = args().put("event", event);
    args.set("payload", PhoenixJs.JSON.valueToTree(payload));
    return JsMessage.text(js.call("pushNoReply", args), "ref");
  }

  /** {@code channel.leave()}: the reply status is "ok" or "timeout" (the client closes the channel either way). */
  public JsReply leave() {
    return JsReply.from(js.call("leave", args(), callTimeout(null)));
  }

  /** The client's channel state: closed, joining, joined, leaving or errored. */
  public String state() {
    return socket.state().path("channels").path(topic).path("state").asString();
  }

  /** The join_ref of the client's current join (a fresh one on every rejoin), or null before joining. */
  public String joinRef() {
    return JsMessage.text(socket.state().path("channels").path(topic), "joinRef");
  }

  /** Waits for (and consumes) the next message with this event. */
  public JsMessage awaitMessage(String event, Duration timeout) {
    return JsMessage.from(events.await(message(m -> event.equals(m.event())), timeout, "message " + event));
  }

  /** Waits for (and consumes) the next message that matches. */
  public JsMessage awaitMessage(Predicate<JsMessage> matcher, Duration timeout) {
    return JsMessage.from(events.await(message(matcher), timeout, "a matching message"));
  }

  /** Fails if an unconsumed message with this event is here or arrives within {@code within}. */
  public void assertNoMessage(String event, Duration within) {
    events.assertNone(message(m -> event.equals(m.event())), within, "message " + event);
  }

  /** Marks everything this channel received so far as consumed, so the next waits see only newer events. */
  public JsChannel skipPending() {
    events.skipPending();
    return this;
  }

  /** Every message of this topic so far, consumed or not. */
  public List<JsMessage> messages() {
    return events.history().stream().filter(JsSocket.type("message")).map(JsMessage::from).toList();
  }

  /** Waits for a {@code presenceSync} whose list matches, and returns that list (an array of presences). */
  public JsonNode awaitPresenceSync(Predicate<JsonNode> listMatcher, Duration timeout) {
    Predicate<JsonNode> sync = JsSocket.type("presenceSync");
    return events.await(sync.and(e -> listMatcher.test(e.path("list"))), timeout, "a matching presenceSync").path("list");
  }

  /**
   * Waits for a {@code presenceSync} whose state matches and returns that state: an object keyed by presence
   * key, each value the client's presence ({@code metas} and any fetched fields), built from {@code Presence.list}.
   */
  public JsonNode awaitPresenceState(Predicate<JsonNode> stateMatcher, Duration timeout) {
    Predicate<JsonNode> sync = JsSocket.type("presenceSync");
    return events.await(sync.and(e -> stateMatcher.test(e.path("state"))), timeout, "a matching presenceSync").path("state");
  }

  /** Waits for the next event of a type: channelError, channelClose, presenceJoin, presenceLeave, message... */
  public JsonNode awaitEvent(String type, Duration timeout) {
    return events.await(JsSocket.type(type), timeout, "a " + type + " event");
  }

  /** Every event of this topic so far, consumed or not. */
  public List<JsonNode> events() {
    return events.history();
  }

  private ObjectNode args() {
    return socket.args().put("topic", topic);
  }

  private static ObjectNode withTimeout(ObjectNode args, Duration timeout) {
    return timeout == null ? args : args.put("timeout", timeout.toMillis());
  }

  /** The driver answers at the latest a second after the client's own timeout. */
  private Duration callTimeout(Duration timeout) {
    return (timeout == null ? socket.pushTimeout() : timeout).plus(PhoenixJs.MARGIN);
  }

  private static Predicate<JsonNode> message(Predicate<JsMessage> matcher) {
    return JsSocket.type("message").and(e -> matcher.test(JsMessage.from(e)));
  }

  @Override
  public String toString() {
    return "JsChannel[" + topic + " on " + socket.name() + "]";
  }
}
