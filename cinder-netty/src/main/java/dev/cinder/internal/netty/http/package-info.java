/**
 * HTTP/1.1 on one connection, in the order a request's bytes meet the handlers: the header, body and keep-alive
 * deadlines ({@link dev.cinder.internal.netty.http.HttpTimeouts}), Netty's parser, one exchange at a time with
 * pipelined requests answered in order ({@link dev.cinder.internal.netty.http.HttpExchanges}), then the
 * admission that finds the request's target and bounds its body before reading it ({@link
 * dev.cinder.internal.netty.http.RequestAdmission}). What comes out is a whole {@link
 * dev.cinder.internal.netty.http.RoutedRequest}, which the server's dispatcher hands to a WebSocket upgrade, the
 * long-poll transport or a route; answers are written with {@link dev.cinder.internal.netty.http.Responses}.
 *
 * <p>Knows socket mounts and routes, not the transports: every other package of the server may use this one.
 */
package dev.cinder.internal.netty.http;
