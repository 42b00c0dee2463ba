package dev.cinder.client;

import dev.cinder.client.internal.Frame;
import dev.cinder.client.internal.Timers;
import java.time.Duration;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Sends {@code heartbeat} on the {@code phoenix} topic every interval while open; a heartbeat still unanswered
 * when the next one is due means a dead connection. Runs on the socket's event loop only.
 */
final class Heartbeat {
  private final Connection connection;
  private final Duration interval;
  private Timers.Timer timer;
  private String pendingRef;

  Heartbeat(Connection connection, Duration interval) {
    this.connection = connection;
    this.interval = interval;
  }

  void start() {
    stop();
    if (!interval.isZero() && !interval.isNegative()) {
      timer = Timers.schedule(interval, connection.loop, this::beat);
    }
  }

  void stop() {
    if (timer != null) {
      timer.cancel();
      timer = null;
    }
    pendingRef = null;
  }

  /** Whether a reply (topic {@code phoenix}) answers the pending heartbeat; clears it if so. */
  boolean answers(String ref) {
    if (ref != null && ref.equals(pendingRef)) {
      pendingRef = null;
      return true;
    }
    return false;
  }

  private void beat() {
    timer = null;
    if (!connection.isOpen()) {
      return;
    }
    if (pendingRef != null) {
      pendingRef = null;
      connection.abnormalClose("heartbeat timeout");
      return;
    }
    pendingRef = connection.nextRef();
    connection.send(Frame.json(null, pendingRef, "phoenix", "heartbeat", JsonNodeFactory.instance.objectNode()));
    timer = Timers.schedule(interval, connection.loop, this::beat);
  }
}
