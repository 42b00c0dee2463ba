package dev.cinder.micrometer;

import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TelemetryListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Binds Cinder's telemetry to a Micrometer registry: timers for connects, joins, {@code handleIn} and
 * {@code handleOut}; gauges for sockets, channels, topics and presences; counters for broadcasts, deliveries,
 * drops, rate-limited events, slow-consumer closes and transport errors.
 *
 * <p>Tags are bounded: channels are tagged by route pattern ({@code room:*}), never by topic, and event
 * names by at most {@link #MAX_EVENT_NAMES} distinct values per route (the rest become {@code "other"}),
 * since clients choose event names.
 */
public final class CinderMetrics implements TelemetryListener {
  public static final int MAX_EVENT_NAMES = 64;

  private final MeterRegistry registry;
  private final EventNames eventNames = new EventNames(MAX_EVENT_NAMES);
  // Per call, a builder would make the tags and the meter's id again before the registry finds the timer: more
  // than the push it times costs. Keys are bounded by the routes and the bounded event names.
  private final ConcurrentHashMap<TimerKey, Timer> handleIn = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<TimerKey, Timer> handleOut = new ConcurrentHashMap<>();

  /** Which timer of a family: its tag values. */
  private record TimerKey(String route, String event, String status) {}

  private CinderMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Registers the meters and subscribes to {@code telemetry}. {@code topics} and {@code presences} supply
   * the current counts (e.g. {@code localPubSub::topicCount}); pass null to leave a gauge out.
   */
  public static CinderMetrics bind(MeterRegistry registry, Telemetry telemetry, Supplier<Number> topics,
      Supplier<Number> presences) {
    CinderMetrics metrics = new CinderMetrics(registry);
    Gauge.builder("cinder.sockets", telemetry, Telemetry::sockets).description("open sockets").register(registry);
    Gauge.builder("cinder.channels", telemetry, Telemetry::channels).description("joined channels").register(registry);
    if (topics != null) {
      // Micrometer keeps a gauge's object weakly: a supplier lambda held by nobody else would read NaN after a GC.
      Gauge.builder("cinder.topics", topics, s -> s.get().doubleValue()).strongReference(true)
          .description("topics with local subscribers").register(registry);
    }
    if (presences != null) {
      Gauge.builder("cinder.presences", presences, s -> s.get().doubleValue()).strongReference(true)
          .description("tracked presences").register(registry);
    }
    FunctionCounter.builder("cinder.broadcasts", telemetry, Telemetry::broadcasts).description("broadcasts dispatched on this node").register(registry);
    FunctionCounter.builder("cinder.deliveries", telemetry, Telemetry::deliveries).description("broadcast frames handed to subscribers").register(registry);
    FunctionCounter.builder("cinder.drops", telemetry, Telemetry::drops).description("frames not delivered").register(registry);
    FunctionCounter.builder("cinder.rate_limited", telemetry, Telemetry::rateLimitedEvents).description("client events refused by a rate limiter").register(registry);
    FunctionCounter.builder("cinder.slow_consumer.closes", telemetry, Telemetry::slowConsumerCloses).description("connections closed for not reading").register(registry);
    telemetry.addListener(metrics);
    return metrics;
  }

  @Override
  public void socketConnected(String path, String transport, boolean accepted, long nanos) {
    Timer.builder("cinder.socket.connect").tags("transport", transport, "result", accepted ? "accepted" : "refused")
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void channelJoined(String route, String topic, String outcome, long nanos) {
    Timer.builder("cinder.channel.join").tags("route", route, "outcome", outcome)
        .register(registry).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void eventHandled(String route, String topic, String event, String status, long nanos) {
    timer(handleIn, new TimerKey(route, boundedEvent(route, event), status), k -> Timer.builder("cinder.channel.handle_in")
        .tags("route", k.route(), "event", k.event(), "status", k.status()).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void outHandled(String route, String topic, String event, long nanos) {
    timer(handleOut, new TimerKey(route, boundedEvent(route, event), ""), k -> Timer.builder("cinder.channel.handle_out")
        .tags("route", k.route(), "event", k.event()).register(registry)).record(nanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void transportError(String transport, String kind) {
    Counter.builder("cinder.transport.errors").tags("transport", transport, "kind", kind).register(registry).increment();
  }

  private static Timer timer(ConcurrentHashMap<TimerKey, Timer> timers, TimerKey key, Function<TimerKey, Timer> register) {
    Timer timer = timers.get(key);
    return timer != null ? timer : timers.computeIfAbsent(key, register);
  }

  private String boundedEvent(String route, String event) {
    return eventNames.bounded(route, event);
  }
}
