package dev.cinder.client;

import java.nio.ByteBuffer;

/** One connection attempt. All methods are thread-safe and do not block. */
public interface Transport {
  /**
   * The transport's name.
   *
   * @return {@code "websocket"}, {@code "longpoll"}, ...
   */
  String name();

  /**
   * Sends a text frame.
   *
   * @param frame the frame
   */
  void sendText(String frame);

  /**
   * Sends a binary frame.
   *
   * @param frame the frame
   */
  void sendBinary(ByteBuffer frame);

  /**
   * Closes the connection; the listener then gets {@code onClose}.
   *
   * @param code the close code
   * @param reason the close reason
   */
  void close(int code, String reason);
}
