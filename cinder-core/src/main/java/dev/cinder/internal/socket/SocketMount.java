package dev.cinder.internal.socket;

import dev.cinder.Assigns;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.channel.InlineEvents;
import dev.cinder.internal.channel.Timers;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.internal.serializer.Serializers;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TraceScope;
import dev.cinder.telemetry.TracedSocket;
import dev.cinder.telemetry.Tracing;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A socket handler mounted at a path with its options and routes: the transport-independent part of
 * accepting a connection (serializer choice by {@code vsn}, the handler's {@code connect} and {@code id}).
 */
public final class SocketMount {
  private static final Logger log = LoggerFactory.getLogger(SocketMount.class);

  /**
   * A connection the handler accepted; {@link #open} turns it into a live socket. {@code traced} is what its channels
   * trace with, or null when the endpoint has no tracing.
   */
  public record Accepted(SocketMount mount, Serializer serializer, Assigns assigns, String id, TracedSocket traced) {
    public Accepted(SocketMount mount, Serializer serializer, Assigns assigns, String id) {
      this(mount, serializer, assigns, id, null);
    }

    public SocketSession open(Connection connection) {
      SocketSession session = new SocketSession(connection, serializer, mount, assigns, id, traced);
      session.start();
      return session;
    }
  }

  private final String path;
  private final SocketHandler handler;
  private final SocketOptions options;
  private final Routes routes = new Routes();
  private final PubSub pubSub;
  private final Telemetry telemetry;
  private final InlineEvents inlineEvents;
  private final Timers timers;

  public SocketMount(String path, SocketHandler handler, SocketOptions options, PubSub pubSub, Telemetry telemetry) {
    this(path, handler, options, pubSub, telemetry, Timers.SHARED);
  }

  /** A mount whose channels' {@code sendAfter} waits on {@code timers} (a test's virtual clock). */
  public SocketMount(String path, SocketHandler handler, SocketOptions options, PubSub pubSub, Telemetry telemetry,
      Timers timers) {
    this.timers = timers;
    this.path = path;
    this.handler = handler;
    this.options = options;
    this.pubSub = pubSub;
    this.telemetry = telemetry;
    this.inlineEvents = new InlineEvents(options.inlinePushLimit());
    handler.routes(routes);
    Fanout.of(pubSub).histories().declare(routes);
  }

  /** Which client events of this mount's routes run inline, shared by its connections. */
  public InlineEvents inlineEvents() {
    return inlineEvents;
  }

  /** What the channels' {@code sendAfter} waits on. */
  public Timers timers() {
    return timers;
  }

  public Telemetry telemetry() {
    return telemetry;
  }

  public String path() {
    return path;
  }

  public SocketOptions options() {
    return options;
  }

  public Routes routes() {
    return routes;
  }

  public PubSub pubSub() {
    return pubSub;
  }

  /**
   * Runs the connect checks that follow the transport's own (origin, subprotocol): an unsupported
   * {@code vsn}, a refusal by the handler, an exception or a bad id all refuse (empty result → HTTP 403).
   * May block: call it on a virtual thread.
   */
  public Optional<Accepted> connect(Map<String, String> query, ConnectInfo info) {
    Tracing tracing = telemetry.tracing();
    if (tracing != null) {
      return connectTraced(tracing, query, info);
    }
    long start = telemetry.start();
    Optional<Accepted> accepted = tryConnect(query, info, null);
    telemetry.socketConnected(path, info.transport(), accepted.isPresent(), telemetry.since(start));
    return accepted;
  }

  /** {@link #connect} in a trace scope; the socket it opens keeps its request's trace context for its channels. */
  private Optional<Accepted> connectTraced(Tracing tracing, Map<String, String> query, ConnectInfo info) {
    long start = telemetry.start();
    Optional<Accepted> accepted;
    try (TraceScope scope = tracing.connect(path, info.transport(), info.headers())) {
      accepted = tryConnect(query, info, scope);
      scope.outcome(accepted.isPresent() ? "accepted" : "refused");
    }
    telemetry.socketConnected(path, info.transport(), accepted.isPresent(), telemetry.since(start));
    return accepted.map(a -> new Accepted(this, a.serializer(), a.assigns(), a.id(),
        new TracedSocket(tracing.requestContext(info.headers()), info.transport(), a.id())));
  }

  private Optional<Accepted> tryConnect(Map<String, String> query, ConnectInfo info, TraceScope scope) {
    Optional<Serializer> serializer = Serializers.forVsn(query.get("vsn"));
    if (serializer.isEmpty()) {
      log.debug("refused {}: unsupported vsn {}", LogSafe.clip(info.uri()), LogSafe.clip(query.get("vsn")));
      return Optional.empty();
    }
    try {
      Connect result = handler.connect(new Params(query), info);
      if (result == null || !result.isOk()) {
        return Optional.empty();
      }
      String id = handler.id(result.assigns());
      return Optional.of(new Accepted(this, serializer.get(), result.assigns(), id));
    } catch (RuntimeException e) {
      log.error("connect failed on {}", path, e);
      if (scope != null) {
        scope.error(e);
      }
      return Optional.empty();
    }
  }
}
