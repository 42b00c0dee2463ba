/**
 * An endpoint's graceful stop ({@link dev.cinder.internal.netty.drain.SocketDrain}): the open sockets of every
 * transport ({@link dev.cinder.internal.netty.drain.DrainableSockets}), closed in batches, then awaited until
 * their channels have ended. The WebSocket and long-poll transports hand their sockets over as {@link
 * dev.cinder.internal.netty.drain.OpenSocket}s; this package depends on neither.
 */
package dev.cinder.internal.netty.drain;
