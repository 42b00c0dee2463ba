package dev.cinder.internal.netty;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPromise;
import io.netty.channel.DefaultChannelId;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.AbstractScheduledEventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Ticker;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One server-side TCP connection for the HTTP fuzz test, on Netty's {@link EmbeddedChannel}: the test thread is
 * its event loop and time moves only when the test says ({@link #advanceTimeBy}). It looks to the handlers like
 * a TCP connection (a peer address, half-close), so the server's own pipeline runs on it unchanged.
 *
 * <p>Other threads (a channel process answering a held long-poll, a WebSocket push) reach it as they reach a
 * real event loop: what they execute or schedule waits in a queue until the test thread runs it
 * ({@link #runPending}). Timers of the handlers live in that same event loop view, on the channel's clock.
 * Every byte the server writes is kept in order ({@link #written()}); after a half-close nothing more can
 * reach the client, so later writes are dropped, as the kernel would.
 */
final class EmbeddedHttpConnection extends EmbeddedChannel implements DuplexChannel {
  static final InetSocketAddress PEER = new InetSocketAddress("203.0.113.9", 50123);

  private final Thread owner = Thread.currentThread();
  private final LoopView loop = new LoopView();
  private final BlockingQueue<Runnable> foreign = new LinkedBlockingQueue<>();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private boolean inputShutdown;
  private boolean outputShutdown;
  private String unexpectedWrite;

  /** A connection whose pipeline {@code handler} (e.g. a {@code ChannelInitializer}) builds as it registers. */
  EmbeddedHttpConnection(ChannelHandler handler) {
    super(DefaultChannelId.newInstance(), false, false, handler);
    try {
      register(); // now, not in super(): the event loop view must exist before any handler asks for it
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public EventLoop eventLoop() {
    return loop;
  }

  private EventLoop embeddedLoop() {
    return super.eventLoop();
  }

  @Override
  protected SocketAddress remoteAddress0() {
    return PEER;
  }

  @Override
  protected void handleOutboundMessage(Object msg) {
    try {
      if (!(msg instanceof ByteBuf bytes)) {
        unexpectedWrite = msg.getClass().getName();
      } else if (!outputShutdown) {
        bytes.getBytes(bytes.readerIndex(), written, bytes.readableBytes());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  /** What the server sent the client, in order. */
  byte[] written() {
    return written.toByteArray();
  }

  /** A message that was not bytes reached the socket (a handler forgot to encode it), or null. */
  String unexpectedWrite() {
    return unexpectedWrite;
  }

  /**
   * Runs everything due now: tasks from other threads, the event loop's tasks and the timers whose time has
   * come, until none is left. Returns whether anything ran.
   */
  boolean runPending() {
    boolean ran = false;
    boolean more = true;
    while (more) {
      more = false;
      for (Runnable task; (task = foreign.poll()) != null; ) {
        task.run();
        more = true;
      }
      runPendingTasks();
      for (Runnable timer; (timer = loop.dueTimer()) != null; ) {
        timer.run();
        runPendingTasks();
        more = true;
      }
      ran |= more;
    }
    return ran;
  }

  /** Nanoseconds until the next timer, or -1 if none is set. */
  long nextTimerNanos() {
    return loop.nextTimerNanos();
  }

  /** Waits up to {@code millis} for a task from another thread; true if one came. */
  boolean awaitForeignTask(long millis) throws InterruptedException {
    Runnable task = foreign.poll(millis, TimeUnit.MILLISECONDS);
    if (task == null) {
      return false;
    }
    task.run();
    return true;
  }

  // DuplexChannel: the half-close HttpExchanges uses to let a refused client read its answer.

  @Override
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    inputShutdown = true;
    return promise.setSuccess();
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown;
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    flush();
    outputShutdown = true;
    return promise.setSuccess();
  }

  @Override
  public boolean isShutdown() {
    return inputShutdown && outputShutdown;
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    shutdownInput();
    return shutdownOutput(promise);
  }

  /**
   * The event loop as the handlers see it: the test thread is its thread; tasks it is given on that thread
   * run in the embedded loop; tasks and timers from other threads are handed over through a queue, and
   * timers are kept here, on the embedded loop's clock, like a real event loop's.
   */
  private final class LoopView extends AbstractScheduledEventExecutor implements EventLoop {
    @Override
    public boolean inEventLoop(Thread thread) {
      return thread == owner;
    }

    @Override
    public void execute(Runnable task) {
      if (inEventLoop()) {
        embeddedLoop().execute(task);
      } else {
        foreign.add(task);
      }
    }

    @Override
    public Ticker ticker() {
      return embeddedLoop().ticker();
    }

    Runnable dueTimer() {
      return pollScheduledTask();
    }

    long nextTimerNanos() {
      return nextScheduledTaskNano(); // -1 when none, else at least 0
    }

    @Override
    public EventLoopGroup parent() {
      return this;
    }

    @Override
    public EventLoop next() {
      return this;
    }

    @Override
    public ChannelFuture register(Channel channel) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelFuture register(ChannelPromise promise) {
      throw new UnsupportedOperationException();
    }

    @Override
    public ChannelFuture register(Channel channel, ChannelPromise promise) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean isShuttingDown() {
      return embeddedLoop().isShuttingDown();
    }

    @Override
    public Future<?> shutdownGracefully(long quietPeriod, long timeout, TimeUnit unit) {
      return embeddedLoop().shutdownGracefully(quietPeriod, timeout, unit);
    }

    @Override
    public Future<?> terminationFuture() {
      return embeddedLoop().terminationFuture();
    }

    @Override
    @Deprecated
    public void shutdown() {
      embeddedLoop().shutdown();
    }

    @Override
    public boolean isShutdown() {
      return embeddedLoop().isShutdown();
    }

    @Override
    public boolean isTerminated() {
      return embeddedLoop().isTerminated();
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
      return embeddedLoop().awaitTermination(timeout, unit);
    }
  }
}
