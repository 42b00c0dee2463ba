package dev.cinder.internal.channel;

import dev.cinder.internal.serializer.Frame;

/** The transport side of one client connection, as the socket layer sees it. Thread-safe. */
public interface Connection {
  /** Queues a frame for the client; frames sent from one thread arrive in order. Never blocks. */
  void send(Frame frame);

  /**
   * Queues a broadcast frame that many connections send at once; a transport may encode its wire form once
   * for all of them, keyed by the frame's identity. Same ordering as {@link #send}.
   */
  default void sendShared(Frame frame) {
    send(frame);
  }

  /** Bytes queued for this client and not yet written to its socket; 0 when the transport cannot tell. */
  default long queuedBytes() {
    return 0;
  }

  /** The transport's name for telemetry and logs: {@code "websocket"} or {@code "longpoll"}. */
  String transport();

  /** Closes the connection with a WebSocket close code (long-poll ends the session). */
  void close(int code, String reason);
}
