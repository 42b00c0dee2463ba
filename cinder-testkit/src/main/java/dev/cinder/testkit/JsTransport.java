package dev.cinder.testkit;

/** The transport the JS client starts with; {@link JsSocketOptions#longPollFallback} may switch it later. */
public enum JsTransport {
  /** The ws package's WebSocket, standing in for the browser's (Node 20 has no global one). */
  WEBSOCKET("websocket"),
  /** phoenix's own LongPoll, over Node's fetch. */
  LONGPOLL("longpoll");

  final String wireName;

  JsTransport(String wireName) {
    this.wireName = wireName;
  }
}
