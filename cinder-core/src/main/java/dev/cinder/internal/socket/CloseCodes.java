package dev.cinder.internal.socket;

/**
 * WebSocket close codes Cinder uses. Never 1000 when the client should come back. docs/protocol.md, "Close codes
 * and HTTP statuses", lists when each is sent.
 */
public final class CloseCodes {
  /** Socket-id {@code disconnect}, idle timeout: the official client reconnects. */
  public static final int GOING_AWAY = 1001;
  /** A frame that does not follow the protocol. */
  public static final int PROTOCOL_ERROR = 1002;
  /** The client sent more messages than its inbound rate allows ({@code SocketOptions.inboundRate}). */
  public static final int POLICY_VIOLATION = 1008;
  /** A frame over the size limit. */
  public static final int MESSAGE_TOO_BIG = 1009;
  /** A server-side failure. */
  public static final int INTERNAL_ERROR = 1011;
  /** The client read too slowly and its outbound queue overflowed; it may reconnect. */
  public static final int TRY_AGAIN_LATER = 1013;
  /** The server is restarting (drain). */
  public static final int SERVICE_RESTART = 1012;

  private CloseCodes() {}
}
