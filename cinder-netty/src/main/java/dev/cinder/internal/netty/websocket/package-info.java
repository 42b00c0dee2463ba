/**
 * The WebSocket transport: the upgrade of an admitted HTTP request ({@link
 * dev.cinder.internal.netty.websocket.WebSocketUpgrade}), after which the connection's pipeline holds one handler
 * per concern, listed there in the order a client's frames pass them: the closing handshake, the idle timer, the
 * aggregator, the outbound queue, the inbound frames that reach the socket session, and the errors that become
 * close codes. The session sends through a {@code WebSocketConnection}, whose frames wait in the outbound queue
 * until Netty's buffer has room.
 *
 * <p>Depends on {@code http} (answers to a refused upgrade) and {@code drain} (open connections, for a drain).
 */
package dev.cinder.internal.netty.websocket;
