/**
 * The Netty server under an endpoint: the event loops on the chosen I/O transport ({@link
 * dev.cinder.internal.netty.HttpServer}), the pipeline every new connection starts with ({@link
 * dev.cinder.internal.netty.HttpPipeline}), and the hand-over of each admitted request to what it asks for ({@link
 * dev.cinder.internal.netty.HttpDispatcher}).
 *
 * <p>A request goes through the HTTP handlers of {@code http} first; once whole and admitted, the dispatcher hands
 * it to {@code websocket} (an upgrade), to {@code longpoll} (a long-poll request) or to the application's route.
 * This package sits on top: it depends on the others, none of them on it. The endpoint's shutdown runs through
 * {@code drain}.
 */
package dev.cinder.internal.netty;
