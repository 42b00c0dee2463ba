/**
 * The long-poll transport: an admitted request to a mount's long-poll path goes to {@link
 * dev.cinder.internal.netty.longpoll.LongPollTransport}, which opens a session, holds a GET until messages come,
 * or delivers a POST's messages to the socket session. The sessions of an endpoint ({@link
 * dev.cinder.internal.netty.longpoll.LongPollSessions}) are found by their signed token; a token naming another
 * node goes next to {@code longpoll.forward}, which carries the request to that node.
 *
 * <p>Depends on {@code http}, {@code drain} and {@code longpoll.forward}; nothing depends on it but the server.
 */
package dev.cinder.internal.netty.longpoll;
