package dev.cinder.internal.presence;

import dev.cinder.Broadcast;
import dev.cinder.PubSub;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.mailbox.Mailbox;
import dev.cinder.internal.presence.TrackerMessage.GracefulPermdown;
import dev.cinder.internal.presence.TrackerMessage.Heartbeat;
import dev.cinder.internal.presence.TrackerMessage.TransferAck;
import dev.cinder.internal.presence.TrackerMessage.TransferReq;
import dev.cinder.internal.presence.TrackerState.LocalKey;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One replica of a tracker: it owns a {@link TrackerState} and keeps it in step with the replicas of the same
 * tracker on other nodes, talking to them only through the endpoint's {@link PubSub} on the topic
 * {@code "phx_presence:<name>"}, so any PubSub adapter makes it a cluster.
 *
 * <p>Every broadcast period it heartbeats its delta (or, after {@code maxSilentPeriods} quiet periods, an
 * empty heartbeat), every {@code clockSamplePeriods} it asks replicas that are ahead of it for a transfer,
 * and it marks silent replicas down, then permdown. Local operations run on the caller's thread; messages and
 * ticks run on the tracker's mailbox; all of them take one lock, so the state has one writer at a time.
 * Changes go to the listener inside that lock, in order.
 */
public final class Tracker implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Tracker.class);
  private static final AtomicLong LAST_VSN = new AtomicLong();
  /** How long {@link #close()} waits for its last changes to be handed to the PubSub. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Object lock = new Object();
  private final TrackerConfig config;
  private final PubSub pubSub;
  private final String topic;
  private final InstantSource clock;
  private final Consumer<List<Change>> listener;
  private final TrackerState state;
  private final Replicas replicas = new Replicas();
  private final Map<ReplicaRef, Map<ReplicaRef, Long>> sampledClocks = new HashMap<>();
  private final Mailbox mailbox = new Mailbox();
  private final PubSub.Subscription subscription;
  private final ScheduledFuture<?> ticker;
  private int silentPeriods;
  private long ticks;
  private long transferRefs;
  private final AtomicBoolean closing = new AtomicBoolean();
  private volatile boolean closed;

  /** Starts a replica named {@code nodeName}; {@code listener} receives every visible change, under the lock. */
  public Tracker(PubSub pubSub, String nodeName, TrackerConfig config, InstantSource clock,
      Consumer<List<Change>> listener) {
    this.config = config;
    this.pubSub = pubSub;
    this.topic = "phx_presence:" + config.name();
    this.clock = clock;
    this.listener = listener;
    this.state = new TrackerState(new ReplicaRef(nodeName, newVsn(clock)));
    this.silentPeriods = config.maxSilentPeriods(); // the first tick announces this replica
    this.subscription = Fanout.of(pubSub).subscribeShared(topic, this::receive);
    long period = config.broadcastPeriod().toNanos();
    this.ticker = PresenceTimer.every(ThreadLocalRandom.current().nextLong(period / 4 + 1), period,
        () -> mailbox.execute(this::tick));
  }

  /** Time in µs plus a unique count, so that a restart, even within the same µs, gets a larger vsn. */
  private static long newVsn(InstantSource clock) {
    long micros = clock.millis() * 1000;
    return LAST_VSN.updateAndGet(last -> Math.max(last + 1, micros));
  }

  public ReplicaRef self() {
    return state.self();
  }

  // Local operations ---------------------------------------------------------------------------------------

  /** Tracks a presence; null when {@code key} is already tracked. */
  public Element track(LocalKey key, Map<String, Object> meta) {
    synchronized (lock) {
      if (state.local(key) != null) {
        return null;
      }
      List<Change> out = new ArrayList<>(1);
      Element element = state.add(key, meta, out);
      publish(out);
      return element;
    }
  }

  /**
   * Tracks several presences at once: one change list for the listener (so one diff) and one delta. Tracks none
   * and returns null when any key is already tracked (or appears twice).
   */
  public List<Element> trackAll(List<LocalKey> keys, List<Map<String, Object>> metas) {
    synchronized (lock) {
      Set<LocalKey> seen = new HashSet<>();
      for (LocalKey key : keys) {
        if (state.local(key) != null || !seen.add(key)) {
          return null;
        }
      }
      List<Change> out = new ArrayList<>(keys.size());
      List<Element> elements = new ArrayList<>(keys.size());
      for (int i = 0; i < keys.size(); i++) {
        elements.add(state.add(keys.get(i), metas.get(i), out));
      }
      publish(out);
      return elements;
    }
  }

  /** Replaces the meta of a tracked presence by {@code update(old meta)}: one leave and one join; null if untracked. */
  public Element update(LocalKey key, UnaryOperator<Map<String, Object>> update) {
    synchronized (lock) {
      Element old = state.local(key);
      if (old == null) {
        return null;
      }
      Map<String, Object> meta = update.apply(old.meta());
      List<Change> out = new ArrayList<>(2);
      state.remove(key, out);
      Element element = state.add(key, meta, out);
      publish(out);
      return element;
    }
  }

  /** Untracks a presence; false when it was not tracked. */
  public boolean untrack(LocalKey key) {
    synchronized (lock) {
      List<Change> out = new ArrayList<>(1);
      boolean removed = state.remove(key, out) != null;
      publish(out);
      return removed;
    }
  }

  /** Untracks every presence of {@code owner}. */
  public void untrackAll(Object owner) {
    synchronized (lock) {
      List<Change> out = new ArrayList<>();
      state.removeAll(owner, out);
      publish(out);
    }
  }

  /** Every stored element, visible or not (diagnostics, tests). */
  public List<Element> elements() {
    synchronized (lock) {
      return state.elements();
    }
  }

  /** Peer name → "up" / "down" (diagnostics, tests). */
  public Map<String, String> peers() {
    synchronized (lock) {
      return replicas.statuses();
    }
  }

  private void publish(List<Change> out) {
    if (!out.isEmpty()) {
      listener.accept(out);
    }
  }

  // Messages ----------------------------------------------------------------------------------------------

  /** On the broadcaster's thread: drop what is not ours cheaply, queue the rest. */
  private void receive(Dispatch dispatch) {
    Broadcast broadcast = dispatch.broadcast();
    String to = TrackerCodec.recipient(broadcast.payload());
    if (!closed && (to == null || to.equals(self().name()))) {
      mailbox.execute(() -> handle(broadcast));
    }
  }

  private void handle(Broadcast broadcast) {
    if (closed) {
      return;
    }
    TrackerMessage message;
    try {
      message = TrackerCodec.decode(broadcast.event(), broadcast.payload());
    } catch (IllegalArgumentException e) {
      log.warn("tracker {} ignores a message: {}", LogSafe.clip(topic), LogSafe.clip(e.getMessage()));
      return;
    }
    if (message.from().name().equals(self().name())) {
      return; // our own broadcast coming back, or an older incarnation of this node
    }
    TrackerMessage answer = null;
    synchronized (lock) {
      List<Change> out = new ArrayList<>();
      switch (message) {
        case Heartbeat h -> {
          if (replicas.heartbeat(h.from(), clock.millis(), state, out)) {
            if (h.delta() != null && !state.mergeDelta(h.delta(), out)) {
              log.debug("tracker {}: gap in the delta of {}, waiting for a transfer", LogSafe.clip(topic),
                  LogSafe.clip(h.from()));
            }
            sampledClocks.put(h.from(), h.clocks());
          }
        }
        case TransferReq r -> answer = new TransferAck(self(), r.from().name(), r.ref(),
            state.snapshotFor(r.from(), r.context().keySet()));
        case TransferAck a -> {
          if (replicas.isUp(a.from())) {
            state.mergeState(a.state(), out);
          }
        }
        case GracefulPermdown g -> replicas.permdown(g.from(), state, out);
      }
      publish(out);
    }
    send(answer);
  }

  private void send(TrackerMessage message) {
    if (message != null && !closed) {
      pubSub.broadcast(topic, TrackerCodec.event(message), TrackerCodec.encode(message));
    }
  }

  // Ticks -------------------------------------------------------------------------------------------------

  private void tick() {
    if (closed) {
      return;
    }
    List<TrackerMessage> outgoing = new ArrayList<>();
    synchronized (lock) {
      ticks++;
      Delta delta = state.takeDelta();
      if (!delta.isEmpty() || silentPeriods >= config.maxSilentPeriods()) {
        outgoing.add(new Heartbeat(self(), delta.isEmpty() ? null : delta, state.clocks()));
        silentPeriods = 0;
      } else {
        silentPeriods++;
      }
      if (ticks % config.clockSamplePeriods() == 0) {
        requestTransfers(outgoing);
      }
      List<Change> out = new ArrayList<>();
      replicas.detectDowns(clock.millis(), config.downPeriod().toMillis(), config.permdownPeriod().toMillis(),
          state, out);
      publish(out);
    }
    outgoing.forEach(this::send);
  }

  /** Asks for a transfer from each replica whose last advertised clocks are ahead of ours and not covered by another's. */
  private void requestTransfers(List<TrackerMessage> outgoing) {
    Map<ReplicaRef, Long> mine = state.clocks();
    List<ReplicaRef> chosen = new ArrayList<>();
    sampledClocks.forEach((peer, theirs) -> {
      if (!replicas.isUp(peer) || !Clocks.ahead(theirs, mine)) {
        return;
      }
      if (chosen.stream().anyMatch(c -> Clocks.dominates(sampledClocks.get(c), theirs, mine.keySet()))) {
        return;
      }
      chosen.removeIf(c -> Clocks.dominates(theirs, sampledClocks.get(c), mine.keySet()));
      chosen.add(peer);
    });
    sampledClocks.clear();
    Map<ReplicaRef, Long> context = state.context();
    for (ReplicaRef peer : chosen) {
      outgoing.add(new TransferReq(self(), peer.name(), ++transferRefs, context));
    }
  }

  /**
   * Stops this replica: no more heartbeats or merges. Changes not yet heartbeated (the leaves of channels that
   * just ended, in a drain) go out first in a last heartbeat, so peers see them at once rather than after their
   * down period; then, with {@code permdownOnShutdown}, the graceful permdown as its very last message. Both are
   * sent on the mailbox after whatever heartbeat or transfer is already on its way there (one sent after the
   * permdown would bring this replica back up on its peers). Waits for them at most {@link #CLOSE_WAIT}, so a
   * PubSub closed next has the messages in hand.
   */
  @Override
  public void close() {
    if (!closing.compareAndSet(false, true)) {
      return;
    }
    ticker.cancel(false); // a tick already queued on the mailbox still runs, before the last changes
    CompletableFuture<Void> sent = new CompletableFuture<>();
    mailbox.execute(() -> {
      try {
        sendLastChanges();
      } finally {
        closed = true;
        sent.complete(null);
      }
    });
    try {
      sent.get(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      log.warn("tracker {}: its last changes were not sent within {} ms", LogSafe.clip(topic), CLOSE_WAIT.toMillis());
    }
    closed = true;
    subscription.close();
  }

  /** On the mailbox: the last heartbeat (if anything changed since the previous one), then the permdown. */
  private void sendLastChanges() {
    TrackerMessage last = null;
    synchronized (lock) {
      Delta delta = state.takeDelta();
      if (!delta.isEmpty()) {
        last = new Heartbeat(self(), delta, state.clocks());
      }
    }
    send(last);
    if (config.permdownOnShutdown()) {
      send(new GracefulPermdown(self()));
    }
  }
}
