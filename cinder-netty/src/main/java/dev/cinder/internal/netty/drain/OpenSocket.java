package dev.cinder.internal.netty.drain;

import dev.cinder.internal.socket.SocketSession;

/**
 * A live socket as a drain sees it: how to close it (after what is queued for its client), and its session, to
 * know when its channels have ended.
 */
public record OpenSocket(Runnable close, SocketSession session) {}
