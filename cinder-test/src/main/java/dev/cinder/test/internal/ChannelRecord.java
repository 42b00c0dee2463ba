package dev.cinder.test.internal;

import dev.cinder.ChannelContext;
import dev.cinder.StopReason;
import java.util.concurrent.CompletableFuture;

/** What a test saw of one join's channel from the inside: its context, how it ended, what it threw. */
public final class ChannelRecord {
  private final CompletableFuture<ChannelContext> context = new CompletableFuture<>();
  private final CompletableFuture<StopReason> ended = new CompletableFuture<>();
  private volatile Throwable failure;

  /** The channel's context, once its {@code join} ran. */
  public CompletableFuture<ChannelContext> context() {
    return context;
  }

  /** Completes with the reason given to {@code terminate}. */
  public CompletableFuture<StopReason> ended() {
    return ended;
  }

  /** The first exception a callback of the channel threw, or null. */
  public Throwable failure() {
    return failure;
  }

  void failed(Throwable e) {
    if (failure == null) {
      failure = e;
    }
  }
}
