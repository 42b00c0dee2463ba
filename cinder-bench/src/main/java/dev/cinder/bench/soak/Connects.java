package dev.cinder.bench.soak;

import io.netty.bootstrap.Bootstrap;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.function.Consumer;

/**
 * {@code Bootstrap.connect}, tried again when Netty closed the new channel before its connect began. Seen on the
 * generators' epoll transport when their I/O thread runs late: the channel is registered, an event closes it, and
 * the queued connect then fails in {@code ensureOpen} with a {@link ClosedChannelException}; no SYN was sent, so the
 * server never saw it. That is counted as a notice of the generator, not as a server problem; any other failure
 * goes to {@code failed}.
 */
final class Connects {
  private static final int ATTEMPTS = 3;

  private Connects() {}

  static void connect(Bootstrap bootstrap, InetSocketAddress server, InetSocketAddress local, SoakStats stats,
      Consumer<Throwable> failed) {
    attempt(bootstrap, server, local, stats, failed, ATTEMPTS);
  }

  private static void attempt(Bootstrap bootstrap, InetSocketAddress server, InetSocketAddress local, SoakStats stats,
      Consumer<Throwable> failed, int left) {
    bootstrap.connect(server, local).addListener(f -> {
      if (f.isSuccess()) {
        return;
      }
      if (left > 1 && neverStarted(f.cause())) {
        stats.count("notice: generator's Netty closed a new channel before its connect (tried again)");
        attempt(bootstrap, server, local, stats, failed, left - 1);
      } else {
        failed.accept(f.cause());
      }
    });
  }

  static boolean neverStarted(Throwable t) {
    StackTraceElement[] at = t.getStackTrace();
    return t instanceof ClosedChannelException && at.length > 0 && at[0].getMethodName().equals("ensureOpen");
  }
}
