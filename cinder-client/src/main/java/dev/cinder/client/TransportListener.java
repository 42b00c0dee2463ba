package dev.cinder.client;

import java.nio.ByteBuffer;

/** What a transport reports. Calls may come on any thread; the socket hands them to its own executor. */
public interface TransportListener {
  /** The connection is open. */
  void onOpen();

  /**
   * A text frame arrived.
   *
   * @param frame the frame
   */
  void onText(String frame);

  /**
   * A binary frame arrived.
   *
   * @param frame the frame
   */
  void onBinary(ByteBuffer frame);

  /**
   * The connection closed.
   *
   * @param code the close code
   * @param reason the close reason
   */
  void onClose(int code, String reason);

  /**
   * The connection failed; followed by {@link #onClose}, or treated as a close by the socket.
   *
   * @param error what failed
   */
  void onError(Throwable error);
}
