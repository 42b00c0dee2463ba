package dev.cinder.internal.netty.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.socket.DuplexChannel;
import java.util.concurrent.TimeUnit;

/**
 * Closes an HTTP connection whose client may still be sending. Closing with bytes unread would reset the
 * connection, and a reset may destroy the last answer before the client reads it: so stop sending (the client
 * reads the answer, then the end of the stream), let the handlers drop whatever still comes, and close when the
 * client does or after a short grace.
 */
final class LingeringClose {
  static final long GRACE_MS = 2000;

  private LingeringClose() {}

  static void close(ChannelHandlerContext ctx) {
    if (!(ctx.channel() instanceof DuplexChannel duplex) || !ctx.channel().isActive()) {
      ctx.close();
      return;
    }
    duplex.shutdownOutput();
    ctx.channel().config().setAutoRead(true);
    ctx.executor().schedule(() -> ctx.close(), GRACE_MS, TimeUnit.MILLISECONDS);
  }
}
