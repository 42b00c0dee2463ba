package dev.cinder.redis;

import dev.cinder.telemetry.Telemetry;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the broadcasts that could not cross to other nodes, and logs per outage rather than per
 * message: one line when broadcasts stop crossing, one with the count when they cross again. An outage
 * starts at the first loss (or when the publishing connection drops) and ends at the next publish Redis
 * accepts (or when the connection is back).
 */
final class Undelivered {
  private static final Logger log = LoggerFactory.getLogger(RedisPubSubAdapter.class);

  private final String node;
  private final Telemetry telemetry;
  private final AtomicLong count = new AtomicLong();
  private final AtomicBoolean inOutage = new AtomicBoolean();
  private volatile long outageStartNanos;
  private volatile long countAtOutageStart;

  Undelivered(String node, Telemetry telemetry) {
    this.node = node;
    this.telemetry = telemetry;
  }

  /** One broadcast that did not reach Redis. */
  void lost(String reason) {
    count.incrementAndGet();
    if (telemetry != null) {
      telemetry.dropped();
    }
    begin(reason, 1);
  }

  /** The connection dropped: an outage begins even before anything is lost. */
  void disconnected() {
    begin("connection to Redis lost", 0);
  }

  /** Redis accepted a publish, or the connection is back: the outage, if any, ends. */
  void crossed() {
    // A plain read first: this runs once per publish, the CAS only at the end of an outage.
    if (inOutage.get() && inOutage.compareAndSet(true, false)) {
      long lost = count.get() - countAtOutageStart;
      long millis = (System.nanoTime() - outageStartNanos) / 1_000_000;
      log.warn("node {}: broadcasts cross to other nodes again after {} ms; {} could not cross meanwhile",
          node, millis, lost);
    }
  }

  long count() {
    return count.get();
  }

  boolean inOutage() {
    return inOutage.get();
  }

  private void begin(String reason, int alreadyLost) {
    if (!inOutage.get() && inOutage.compareAndSet(false, true)) {
      outageStartNanos = System.nanoTime();
      countAtOutageStart = count.get() - alreadyLost;
      log.warn("node {}: broadcasts cannot cross to other nodes ({}); local delivery goes on, losses are counted",
          node, reason);
    }
  }
}
