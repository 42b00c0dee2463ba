package dev.cinder.telemetry;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework's events and counters for one endpoint. Each event method keeps the counters and, when a
 * listener is registered, notifies the listeners. With no listener, hot paths skip even the clock reads
 * ({@link #start()} returns 0); counters are always kept, each one uncontended add. Traces go to the
 * {@link Tracing} set with {@link #setTracing}, if any.
 */
public final class Telemetry {
  private static final Logger log = LoggerFactory.getLogger(Telemetry.class);

  private static final Telemetry DETACHED = new Telemetry();

  /** A telemetry with no listeners yet: {@link #addListener} attaches them. */
  public Telemetry() {}

  /** A telemetry nobody reads, for contexts outside an endpoint (test doubles, tools). */
  public static Telemetry detached() {
    return DETACHED;
  }

  private final List<TelemetryListener> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean enabled;
  private volatile Tracing tracing;
  private final AtomicLong sockets = new AtomicLong();
  private final AtomicLong channels = new AtomicLong();
  private final LongAdder broadcasts = new LongAdder();
  private final LongAdder deliveries = new LongAdder();
  private final LongAdder drops = new LongAdder();
  private final LongAdder slowConsumerCloses = new LongAdder();
  private final LongAdder rateLimited = new LongAdder();

  public void addListener(TelemetryListener listener) {
    listeners.add(listener);
    enabled = true;
  }

  public boolean enabled() {
    return enabled;
  }

  /**
   * Traces this endpoint's connects, joins and {@code handleIn}s, and its broadcasts between nodes, with
   * {@code tracing} (null: no tracing). Sockets connected before keep going untraced.
   */
  public void setTracing(Tracing tracing) {
    this.tracing = tracing;
  }

  /** The tracing set with {@link #setTracing}, or null: then Cinder does no tracing work. */
  public Tracing tracing() {
    return tracing;
  }

  /** A monotonic timestamp when a listener is registered, 0 otherwise; pair with {@link #since}. */
  public long start() {
    return enabled ? System.nanoTime() : 0;
  }

  public long since(long start) {
    return start == 0 ? 0 : System.nanoTime() - start;
  }

  // Callers check enabled first, so no lambda is allocated when nobody listens.
  private void notify(Consumer<TelemetryListener> event) {
    for (TelemetryListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("telemetry listener failed", e);
      }
    }
  }

  // Events ----------------------------------------------------------------------------------------------

  /** A connect attempt finished; the socket counts as open only once its transport has opened it. */
  public void socketConnected(String path, String transport, boolean accepted, long nanos) {
    if (enabled) {
      notify(l -> l.socketConnected(path, transport, accepted, nanos));
    }
  }

  /** A socket session opened on its transport (counted once per session, closed by {@link #socketClosed}). */
  public void socketOpened() {
    sockets.incrementAndGet();
  }

  public void socketClosed(String path, String transport) {
    sockets.decrementAndGet();
    if (enabled) {
      notify(l -> l.socketClosed(path, transport));
    }
  }

  public void channelJoined(String route, String topic, String outcome, long nanos) {
    if (outcome.equals("ok")) {
      channels.incrementAndGet();
    }
    if (enabled) {
      notify(l -> l.channelJoined(route, topic, outcome, nanos));
    }
  }

  public void channelEnded(String route, String topic, String reason) {
    channels.decrementAndGet();
    if (enabled) {
      notify(l -> l.channelEnded(route, topic, reason));
    }
  }

  public void eventHandled(String route, String topic, String event, String status, long nanos) {
    if (enabled) {
      notify(l -> l.eventHandled(route, topic, event, status, nanos));
    }
  }

  public void outHandled(String route, String topic, String event, long nanos) {
    if (enabled) {
      notify(l -> l.outHandled(route, topic, event, nanos));
    }
  }

  public void broadcast(String topic, String event, int subscribers) {
    broadcasts.increment();
    if (enabled) {
      notify(l -> l.broadcast(topic, event, subscribers));
    }
  }

  /** One frame handed to one subscriber's connection (hot path: a counter only). */
  public void delivered() {
    deliveries.increment();
  }

  /** One frame not delivered (slow consumer under the drop policy, or a closed connection). */
  public void dropped() {
    drops.increment();
  }

  public void presenceChanged(String topic, int joins, int leaves) {
    if (enabled) {
      notify(l -> l.presenceChanged(topic, joins, leaves));
    }
  }

  public void rateLimited(String topic, String event) {
    rateLimited.increment();
    if (enabled) {
      notify(l -> l.rateLimited(topic, event));
    }
  }

  public void slowConsumer(String transport, String action, long queuedBytes) {
    if (action.equals("close")) {
      slowConsumerCloses.increment();
    }
    if (enabled) {
      notify(l -> l.slowConsumer(transport, action, queuedBytes));
    }
  }

  public void transportError(String transport, String kind) {
    if (enabled) {
      notify(l -> l.transportError(transport, kind));
    }
  }

  public void socketDrain(int batch, int batches, int count, int total) {
    if (enabled) {
      notify(l -> l.socketDrain(batch, batches, count, total));
    }
  }

  // Readings --------------------------------------------------------------------------------------------

  public long sockets() {
    return sockets.get();
  }

  public long channels() {
    return channels.get();
  }

  public long broadcasts() {
    return broadcasts.sum();
  }

  public long deliveries() {
    return deliveries.sum();
  }

  public long drops() {
    return drops.sum();
  }

  public long slowConsumerCloses() {
    return slowConsumerCloses.sum();
  }

  public long rateLimitedEvents() {
    return rateLimited.sum();
  }
}
