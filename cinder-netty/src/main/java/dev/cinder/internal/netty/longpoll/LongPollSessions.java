package dev.cinder.internal.netty.longpoll;

import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.PubSub;
import dev.cinder.internal.netty.drain.DrainableSockets;
import dev.cinder.internal.netty.drain.OpenSocket;
import dev.cinder.internal.netty.longpoll.forward.ForwardedRequests;
import dev.cinder.internal.netty.longpoll.forward.LongPollForwarder;
import dev.cinder.internal.netty.longpoll.forward.LongPollWire;
import dev.cinder.internal.netty.longpoll.forward.SessionAddress;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.token.Etf;
import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The long-poll sessions of one endpoint, addressed by signed tokens naming the node that holds the session
 * and its id, so a forged or foreign token finds nothing and any node of a cluster can tell where a session
 * lives. In a cluster each session also listens on its private topic for requests other nodes forward
 * ({@link ForwardedRequests}), and {@link #forwarder()} sends this node's requests for sessions held
 * elsewhere. One sweeper thread ends sessions whose client stopped polling for 1.5 windows
 * and times forwarded GETs. New sessions are capped per mount, socket id and client address.
 */
public final class LongPollSessions implements DrainableSockets, AutoCloseable {
  private static final String SALT = "cinder long-poll session";
  private static final Duration TOKEN_MAX_AGE = Duration.ofDays(14);
  private static final Etf.Atom V1 = new Etf.Atom("v1");

  private final PhoenixToken tokens;
  private final PubSub pubSub;
  private final String node;
  // A single-node PubSub reaches no other node: nothing is forwarded, nothing listens for forwards.
  private final boolean clustered;
  private final LongPollForwarder forwarder;
  private final Map<String, LongPollSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, PubSub.Subscription> topics = new ConcurrentHashMap<>();
  private final LongPollSessionLimits limits = new LongPollSessionLimits();
  private volatile Consumer<OpenSocket> lateArrivals; // set once the server drains
  private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "cinder-longpoll-sweeper");
    t.setDaemon(true);
    return t;
  });

  /** {@code sweepPeriod}: how often idle sessions are looked for; half the smallest window is plenty. */
  public LongPollSessions(PhoenixToken tokens, Duration sweepPeriod, PubSub pubSub) {
    this.tokens = tokens;
    this.pubSub = pubSub;
    this.node = pubSub.nodeName();
    this.clustered = pubSub.spansNodes();
    this.forwarder = new LongPollForwarder(pubSub);
    long periodMs = Math.max(10, sweepPeriod.toMillis());
    sweeper.scheduleAtFixedRate(this::sweep, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  private void sweep() {
    for (LongPollSession session : sessions.values()) {
      if (session.idle()) {
        session.close(1001, "idle");
      }
    }
  }

  /**
   * A new live session for a connect its mount accepted from {@code peer}, or null when the mount's session
   * caps refuse it ({@link LongPollSessionLimits}) or the server drains. The session holds its slot until it ends.
   */
  LongPollSession open(SocketMount.Accepted accepted, InetSocketAddress peer) {
    if (draining()) {
      return null;
    }
    LongPollSessionLimits.Slot slot = limits.reserve(accepted.mount(), peer, accepted.id());
    if (slot == null) {
      return null;
    }
    String id = LongPollWire.randomId(18);
    String token = tokens.sign(SALT, Etf.Tuple.of(V1, node, id), TOKEN_MAX_AGE);
    LongPollSession session = new LongPollSession(id, token, accepted.mount(), () -> {
      remove(id);
      slot.release();
    });
    try {
      session.attach(accepted.open(session));
    } catch (RuntimeException e) {
      slot.release(); // the session never started: nothing else would give its slot back
      throw e;
    }
    register(session);
    return session;
  }

  private void register(LongPollSession session) {
    sessions.put(session.id, session);
    if (clustered) {
      ForwardedRequests requests = new ForwardedRequests(session, pubSub, sweeper);
      topics.put(session.id, Fanout.of(pubSub).subscribeShared(LongPollWire.sessionTopic(session.id), requests));
    }
    if (session.ended()) {
      remove(session.id); // it ended before it was registered: its end could not unregister it
    }
    Consumer<OpenSocket> drain = lateArrivals; // read after the put: a drain that began meanwhile sees one or the other
    if (drain != null) {
      drain.accept(new OpenSocket(session::endOnceDelivered, session.session()));
    }
  }

  void remove(String id) {
    sessions.remove(id);
    PubSub.Subscription topic = topics.remove(id);
    if (topic != null) {
      topic.close();
    }
  }

  /** Where a token's session lives; null for a missing, forged or expired token. */
  SessionAddress address(String token) {
    if (token == null || token.isEmpty()) {
      return null;
    }
    return switch (tokens.verify(SALT, token)) {
      case TokenResult.Valid(Etf.Tuple t) when t.arity() == 3 && V1.equals(t.elements().getFirst())
          && t.elements().get(1) instanceof String owner && t.elements().get(2) instanceof String id -> new SessionAddress(owner, id);
      case TokenResult.Valid(String id) -> new SessionAddress(node, id); // a token of before the node was named
      default -> null;
    };
  }

  /** Whether the session lives on another node this one can reach (only through a cluster PubSub). */
  boolean elsewhere(SessionAddress address) {
    return clustered && !address.node().equals(node);
  }

  /** The session of that address if it lives here; null if it ended (or lives elsewhere). */
  LongPollSession local(SessionAddress address) {
    return elsewhere(address) ? null : sessions.get(address.id());
  }

  LongPollForwarder forwarder() {
    return forwarder;
  }

  /** The number of live sessions. */
  @Override
  public int size() {
    return sessions.size();
  }

  /**
   * The server drains: from now on no session opens ({@link #draining()}), and one that was opening already
   * goes to {@code drain}; returns the sessions live now, for the drain to end in batches.
   */
  @Override
  public List<OpenSocket> startDraining(Consumer<OpenSocket> drain) {
    lateArrivals = drain;
    return sessions.values().stream().map(s -> new OpenSocket(s::endOnceDelivered, s.session())).toList();
  }

  /** Whether the server drains: a request that would open a session is refused. */
  boolean draining() {
    return lateArrivals != null;
  }

  /** Requests this node forwarded to other nodes and awaits answers for (a leak check for tests). */
  public int forwardedPending() {
    return forwarder.pending();
  }

  @Override
  public void close() {
    sweeper.shutdownNow();
    forwarder.close();
    sessions.values().forEach(s -> s.close(1001, "shutdown"));
  }
}
