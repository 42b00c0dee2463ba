/**
 * Cinder's server on Netty: the endpoint with its HTTP routes, WebSocket and long-poll transports.
 *
 * <p>Only {@code dev.cinder.endpoint} is exported; everything else is the transport's own.
 */
module dev.cinder.netty {
  requires transitive dev.cinder.core;
  requires io.netty.buffer;
  requires io.netty.codec;
  requires io.netty.codec.compression;
  requires io.netty.codec.http;
  requires io.netty.common;
  requires io.netty.handler;
  requires io.netty.transport;
  requires io.netty.transport.classes.epoll;
  requires io.netty.transport.classes.io_uring;
  requires org.slf4j;

  exports dev.cinder.endpoint;
}
