/**
 * The WebSocket transport: the upgrade of an admitted HTTP request ({@link
 * dev.cinder.internal.netty.websocket.WebSocketUpgrade}), after which the connection's pipeline holds the closing
 * handshake, the idle timer, the aggregator and a {@code WebSocketConnection}, which hands the client's frames to
 * its socket session and writes the session's frames.
 *
 * <p>Depends on {@code http} (answers to a refused upgrade) and {@code drain} (open connections, for a drain).
 */
package dev.cinder.internal.netty.websocket;
