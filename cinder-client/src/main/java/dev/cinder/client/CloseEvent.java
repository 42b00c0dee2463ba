package dev.cinder.client;

/**
 * A connection closed.
 *
 * @param code the WebSocket close code (long-poll reports codes of the same meaning, e.g. 3410 for a session gone)
 * @param reason the close reason, possibly empty
 * @param willReconnect whether the socket will connect again by itself (false after {@link Socket#disconnect()})
 */
public record CloseEvent(int code, String reason, boolean willReconnect) {}
