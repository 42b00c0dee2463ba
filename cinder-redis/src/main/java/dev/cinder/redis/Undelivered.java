package dev.cinder.redis;

import dev.cinder.internal.LogSafe;
import dev.cinder.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the broadcasts that could not cross to other nodes, and logs per outage rather than per
 * message: one line when broadcasts stop crossing, one with the count when they cross again. An outage
 * starts at the first loss (or when the publishing connection drops). It ends when the connection is
 * back, or at a publish Redis accepts once a second has passed without a loss, so that an overloaded
 * Redis answering some publishes in time and not others makes one outage, not a line per flap.
 */
final class Undelivered {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);
  private static final long QUIET_NANOS = 1_000_000_000L;

  private final String node;
  private final Telemetry telemetry;
  private final AtomicLong count = new AtomicLong();
  private final AtomicBoolean inOutage = new AtomicBoolean();
  private volatile long outageStartNanos;
  private volatile long lastLossNanos;
  private volatile long countAtOutageStart;

  Undelivered(String node, Telemetry telemetry) {
    this.node = node;
    this.telemetry = telemetry;
  }

  /** One broadcast that did not reach Redis. */
  void lost(String reason) {
    count.incrementAndGet();
    lastLossNanos = System.nanoTime();
    if (telemetry != null) {
      telemetry.dropped();
    }
    begin(reason, 1);
  }

  /** The connection dropped: an outage begins even before anything is lost. */
  void disconnected() {
    begin("connection to Redis lost", 0);
  }

  /** The connection is back: the outage, if any, ends. */
  void reconnected() {
    end();
  }

  /** Redis accepted a publish. */
  void crossed() {
    // A plain read first: this runs once per publish; the clock and the CAS only during an outage.
    if (inOutage.get() && System.nanoTime() - lastLossNanos > QUIET_NANOS) {
      end();
    }
  }

  long count() {
    return count.get();
  }

  private void begin(String reason, int alreadyLost) {
    if (!inOutage.get() && inOutage.compareAndSet(false, true)) {
      outageStartNanos = System.nanoTime();
      countAtOutageStart = count.get() - alreadyLost;
      log.warn("node {}: broadcasts cannot cross to other nodes ({}); local delivery goes on, losses are counted",
          node, LogSafe.clip(reason));
    }
  }

  private void end() {
    if (inOutage.get() && inOutage.compareAndSet(true, false)) {
      long lost = count.get() - countAtOutageStart;
      long millis = (System.nanoTime() - outageStartNanos) / 1_000_000;
      log.warn("node {}: broadcasts cross to other nodes again after {} ms; {} could not cross meanwhile",
          node, millis, lost);
    }
  }
}
