package dev.cinder.endpoint;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Endpoint#close()} drains the sockets, immutable: start from {@link #defaults()} and change what you
 * need, e.g. {@code DrainOptions.defaults().batchSize(2_000)}. The defaults are those of Phoenix's socket drainer.
 *
 * <p>The drain first closes the listening socket (no new connections), then closes the open sockets in batches
 * of {@link #batchSize()}, one batch every {@link #batchInterval()}, so that the clients reconnect to the other
 * nodes spread over time rather than all at once: a WebSocket gets close code 1012 ("service restart", after
 * what was already queued for it) and the official client reconnects at once; a long-poll session ends, the
 * client's next request gets {@code 410} and it reconnects. Then it waits until every socket's channels have
 * ended ({@code terminate} ran, presences were untracked). The whole drain takes at most {@link #shutdown()}:
 * whatever is left then is closed at once.
 */
public final class DrainOptions {
  private static final DrainOptions DEFAULTS = new DrainOptions(10_000, Duration.ofSeconds(2), Duration.ofSeconds(30));

  private final int batchSize;
  private final Duration batchInterval;
  private final Duration shutdown;

  private DrainOptions(int batchSize, Duration batchInterval, Duration shutdown) {
    this.batchSize = batchSize;
    this.batchInterval = batchInterval;
    this.shutdown = shutdown;
  }

  /** Batches of 10,000 sockets, one every 2 s, 30 s at most in all (Phoenix's defaults). */
  public static DrainOptions defaults() {
    return DEFAULTS;
  }

  /** How many sockets one batch closes (default 10,000). */
  public int batchSize() {
    return batchSize;
  }

  public DrainOptions batchSize(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("batchSize must be at least 1");
    }
    return new DrainOptions(value, batchInterval, shutdown);
  }

  /** The pause between two batches (default 2 s); zero closes every batch at once. */
  public Duration batchInterval() {
    return batchInterval;
  }

  public DrainOptions batchInterval(Duration value) {
    Objects.requireNonNull(value, "batchInterval");
    if (value.isNegative()) {
      throw new IllegalArgumentException("batchInterval must not be negative");
    }
    return new DrainOptions(batchSize, value, shutdown);
  }

  /**
   * The longest the whole drain may take, batches and the wait for channels to end included (default 30 s).
   * Batches not sent by then are closed together; connections still open are then cut. Give the process longer
   * than this to stop: the platform's grace (Kubernetes' {@code terminationGracePeriodSeconds}, 30 s by default)
   * counts the whole shutdown, the drain and what the application closes after it.
   */
  public Duration shutdown() {
    return shutdown;
  }

  public DrainOptions shutdown(Duration value) {
    Objects.requireNonNull(value, "shutdown");
    if (value.isNegative()) {
      throw new IllegalArgumentException("shutdown must not be negative");
    }
    return new DrainOptions(batchSize, batchInterval, value);
  }

  @Override
  public String toString() {
    return "DrainOptions[batchSize=" + batchSize + ", batchInterval=" + batchInterval + ", shutdown=" + shutdown + "]";
  }
}
