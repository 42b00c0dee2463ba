package dev.cinder.redis;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Publishes over one connection (with a Redis Cluster: one per shard, each broadcast to the master of the shard
 * its channel hashes to), so Redis receives a node's broadcasts in the order they were sent,
 * asynchronously, with a bound on publishes awaiting Redis's answer. The caller never waits: past the
 * bound, or while disconnected (the connection rejects commands then instead of queueing them), a
 * broadcast is counted as undelivered and dropped. Nothing is retried after a reconnect, so a broadcast
 * never arrives twice.
 */
final class Publisher {
  private final Command command;
  private final Semaphore inFlight;
  private final Undelivered undelivered;
  private final int maxInFlight;

  /** {@code PUBLISH} or, on a Redis Cluster, {@code SPUBLISH}: completes with the number of receivers. */
  @FunctionalInterface
  interface Command {
    CompletionStage<Long> publish(String channel, byte[] message);
  }

  Publisher(Command command, int maxInFlight, Undelivered undelivered) {
    this.command = command;
    this.inFlight = new Semaphore(maxInFlight);
    this.undelivered = undelivered;
    this.maxInFlight = maxInFlight;
  }

  void publish(String channel, byte[] message) {
    if (!inFlight.tryAcquire()) {
      undelivered.lost("more publishes awaiting Redis than maxInFlight");
      return;
    }
    try {
      command.publish(channel, message).whenComplete((receivers, error) -> {
        inFlight.release();
        if (error == null) {
          undelivered.crossed();
        } else {
          undelivered.lost(error.getMessage());
        }
      });
    } catch (RuntimeException e) {
      inFlight.release();
      undelivered.lost(e.toString());
    }
  }

  /** Waits up to {@code millis} for the publishes awaiting Redis, so a close does not cut off the last ones. */
  void drain(long millis) throws InterruptedException {
    if (inFlight.tryAcquire(maxInFlight, millis, TimeUnit.MILLISECONDS)) {
      inFlight.release(maxInFlight);
    }
  }
}
