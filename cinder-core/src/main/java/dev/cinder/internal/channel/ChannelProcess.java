package dev.cinder.internal.channel;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.ChannelHooks;
import dev.cinder.History;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import dev.cinder.Routes;
import dev.cinder.StopReason;
import dev.cinder.internal.LogLimiter;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.mailbox.Mailbox;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Position;
import dev.cinder.internal.pubsub.Recovery;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.internal.serializer.Message;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.telemetry.TraceScope;
import dev.cinder.telemetry.TracedSocket;
import dev.cinder.telemetry.Tracing;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * The process of one joined channel: it owns the user's {@link Channel}, runs its callbacks one at a time on
 * its {@link Mailbox}, and receives the topic's broadcasts — straight to the connection (fastlane) unless the
 * channel intercepts the event. Ends on leave, stop, crash, duplicate join or socket close. It decides what to
 * answer the client (the join's outcome, {@code handleIn}'s reply, the leave) and says it through the socket's
 * {@link Outbox}.
 *
 * <p>A client push runs {@code handleIn} inline, on the thread that read it, when the channel has no other work
 * queued or running and its event has shown that it does not block ({@link InlineEvents}); otherwise it waits its
 * turn on the mailbox. Either way callbacks run one at a time, in order. An inline callback that stops or crashes
 * the channel leaves {@code terminate} (which may block) to the mailbox.
 *
 * <p>Client pushes waiting for (or inside) {@code handleIn} are bounded ({@code SocketOptions.maxPendingPushes}):
 * one past the bound is answered "overloaded" at once and never queued. Intercepted broadcasts ({@code
 * handleOut}), {@code handleInfo} messages, the leave and the end are the server's own work and not bounded here.
 */
public final class ChannelProcess implements ChannelContext, Subscriber {
  private static final Logger log = LoggerFactory.getLogger(ChannelProcess.class);
  private static final Map<String, String> JOIN_CRASHED = Map.of("reason", "join crashed");
  private static final Map<String, String> OVERLOADED = Map.of("reason", "overloaded");
  private static final AtomicIntegerFieldUpdater<ChannelProcess> PENDING_PUSHES =
      AtomicIntegerFieldUpdater.newUpdater(ChannelProcess.class, "pendingPushes");

  private final String topic;
  private final String joinRef; // as the client sent it on phx_join: used for phx_close / phx_error
  private final String replyJoinRef; // join_ref, or the join's ref when the client sent none
  private final String route;
  private final History history; // what the route's topics keep, or null
  private final Channel channel;
  private final Telemetry telemetry;
  private final Set<String> intercepts;
  private final Assigns assigns;
  private final String socketId;
  private final Outbox outbox;
  private final PubSub pubSub;
  private final Consumer<ChannelProcess> onEnd;
  private final Mailbox mailbox = new Mailbox(true);
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private final int maxPendingPushes;
  private final InlineEvents inlineEvents;
  private final LogLimiter logLimiter;
  private final Timers timers;
  private volatile int pendingPushes; // accepted by handleIn and not yet handled

  private volatile boolean joined;
  private volatile boolean done;
  private boolean stopRequested; // set by stop() during a callback, read after it on the same thread
  private Thread callbackThread; // the thread running a callback right now, if any
  private boolean inline; // a callback is running inline, on the connection's thread: the end must not block it
  private ReplyRef currentRef;
  private final java.util.List<Runnable> terminateHooks = new java.util.concurrent.CopyOnWriteArrayList<>();
  private final ChannelHooks hooks = new Hooks();
  private PubSub.Subscription subscription;
  private RecoveryGate recoveryGate; // set once at join when the client asked for positions, before subscribing
  private Position handledOut; // the position of the broadcast handleOut is handling, if it has one
  private volatile boolean recovered; // the join recovered what its client missed

  public ChannelProcess(String topic, String joinRef, String joinMessageRef, Routes.Route route, Assigns assigns,
      String socketId, Outbox outbox, PubSub pubSub, Telemetry telemetry,
      Consumer<ChannelProcess> onEnd, int maxPendingPushes, InlineEvents inlineEvents, LogLimiter logLimiter) {
    this(topic, joinRef, joinMessageRef, route, assigns, socketId, outbox, pubSub, telemetry, onEnd, maxPendingPushes,
        inlineEvents, logLimiter, Timers.SHARED);
  }

  /** As the other constructor, with the {@link Timers} that {@code sendAfter} waits on. */
  public ChannelProcess(String topic, String joinRef, String joinMessageRef, Routes.Route route, Assigns assigns,
      String socketId, Outbox outbox, PubSub pubSub, Telemetry telemetry, Consumer<ChannelProcess> onEnd,
      int maxPendingPushes, InlineEvents inlineEvents, LogLimiter logLimiter, Timers timers) {
    this.timers = timers;
    this.topic = topic;
    this.joinRef = joinRef;
    this.replyJoinRef = joinRef != null ? joinRef : joinMessageRef;
    this.route = route.pattern();
    this.history = route.history();
    this.channel = route.factory().get();
    this.telemetry = telemetry;
    this.intercepts = Set.copyOf(Objects.requireNonNullElse(channel.intercepts(), Set.of()));
    this.assigns = assigns;
    this.socketId = socketId;
    this.outbox = outbox;
    this.pubSub = pubSub;
    this.onEnd = onEnd;
    this.maxPendingPushes = maxPendingPushes;
    this.inlineEvents = inlineEvents;
    this.logLimiter = logLimiter;
    this.currentRef = new ReplyRef(topic, replyJoinRef, joinMessageRef);
  }

  public String joinRef() {
    return joinRef;
  }

  /** A client message with this join_ref belongs to this join: null (sloppy clients) or equal. */
  public boolean acceptsJoinRef(String messageJoinRef) {
    return messageJoinRef == null || messageJoinRef.equals(joinRef);
  }

  /**
   * Runs the channel's {@code join} on the calling (socket) thread and answers the client. Joined, the channel
   * is subscribed to its topic before the "ok" goes out and starts running its queued messages; refused (or
   * crashed: "join crashed"), it ends at once, which tells the socket to forget it.
   */
  public void join(Payload params) {
    Join outcome = runJoin(params);
    if (!outcome.isOk()) {
      onEnd.accept(this);
      sendReply(currentRef, "error", outcome.response());
      done = true;
      terminateHooks.forEach(this::runHook); // join may have tied state (a presence) to this channel
      ended.complete(null);
      return;
    }
    JsonNode recover = history == null ? null : params.field("recover");
    if (recover != null && !recover.isNull() && !(recover.isBoolean() && !recover.booleanValue())) {
      joinRecovering(outcome, recover);
    } else {
      joinAnswered(outcome.response());
    }
  }

  /**
   * Subscribed before the reply goes out, as in Phoenix: a client that got "ok" misses no later broadcast. In a
   * cluster the reply also waits until this node hears the topic from the other nodes (at once when another
   * channel here already joined it; else a round trip to the cluster's PubSub), so that holds for theirs too.
   */
  private void joinAnswered(Payload response) {
    subscription = Fanout.of(pubSub).subscribeShared(topic, this);
    ReplyRef joinReply = currentRef;
    Fanout.of(pubSub).whenListening(topic, () -> {
      if (done) {
        return; // ended while waiting (its socket closed): nothing to answer
      }
      try {
        sendReply(joinReply, "ok", response);
        joined = true;
      } finally {
        mailbox.release();
      }
    });
  }

  /**
   * A join that asked for positions ({@code "recover": true}) or to recover since one ({@code "recover":
   * "<position>"}): subscribed first and holding live broadcasts, it reads what the client missed, answers "ok"
   * with the outcome under {@code "recovery"}, sends the missed broadcasts, then the held ones, then goes live.
   * The read may complete on another thread; the channel runs nothing of its own until then.
   */
  private void joinRecovering(Join outcome, JsonNode recover) {
    Payload response = outcome.response();
    if (!response.isObject()) {
      log.warn("join of {} asked to recover, but the channel's join response is not a JSON object: it cannot carry "
          + "the recovery, so none is done", LogSafe.clip(topic));
      joinAnswered(response);
      return;
    }
    ReplyRef joinReply = currentRef;
    Position since = recover.isString() ? Position.parse(recover.asString()) : null;
    boolean malformed = since == null && !recover.isBoolean();
    recoveryGate = new RecoveryGate(this::sendPositioned);
    subscription = Fanout.of(pubSub).subscribeShared(topic, this);
    Fanout.of(pubSub).histories().recover(topic, history, since).whenComplete((recovery, error) -> {
      if (done) {
        return; // ended while reading (its socket closed): nothing to answer
      }
      try {
        Recovery outcomeOfRead = error != null ? Recovery.failed(null, Recovery.UNAVAILABLE)
            : malformed ? Recovery.failed(recovery.position(), Recovery.MALFORMED_POSITION) : recovery;
        recovered = outcomeOfRead.recovered();
        sendReply(joinReply, "ok", response.with("recovery", recoveryReply(outcomeOfRead)));
        joined = true;
        recoveryGate.open(outcomeOfRead.missed());
      } finally {
        mailbox.release(); // whatever happened, the channel runs its queued work (and its end, if it ended)
      }
    });
  }

  private static Map<String, Object> recoveryReply(Recovery recovery) {
    Map<String, Object> reply = new LinkedHashMap<>();
    reply.put("recovered", recovery.recovered());
    reply.put("position", recovery.position() == null ? null : recovery.position().toString());
    if (!recovery.recovered()) {
      reply.put("reason", recovery.failure());
    }
    return reply;
  }

  /** The channel's {@code join}, in a trace scope when the socket is traced. */
  private Join runJoin(Payload params) {
    TracedSocket traced = outbox.traced(); // null unless the endpoint traces: then no tracing work at all
    Tracing tracing = traced == null ? null : telemetry.tracing();
    if (tracing == null) {
      return runJoin(params, null);
    }
    try (TraceScope scope = tracing.join(traced, route, topic)) {
      return runJoin(params, scope);
    }
  }

  /** The channel's {@code join}; a throw becomes "join crashed". */
  private Join runJoin(Payload params, TraceScope scope) {
    long start = telemetry.start();
    try {
      Join outcome = channel.join(topic, params, this);
      if (outcome == null) {
        throw new IllegalStateException("join returned null");
      }
      String result = outcome.isOk() ? "ok" : "error";
      if (scope != null) {
        scope.outcome(result);
      }
      telemetry.channelJoined(route, topic, result, telemetry.since(start));
      return outcome;
    } catch (Throwable e) {
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.error("join of {} crashed", LogSafe.clip(topic), e);
      }
      if (scope != null) {
        scope.error(e);
        scope.outcome("crash");
      }
      telemetry.channelJoined(route, topic, "crash", telemetry.since(start));
      return Join.error(JOIN_CRASHED);
    }
  }

  /**
   * A client event, in arrival order; answered "overloaded" at once when too many are pending. Runs inline when
   * the channel is idle and the event has shown that it does not block, else on the channel's virtual thread.
   */
  public void handleIn(Message msg) {
    if (PENDING_PUSHES.incrementAndGet(this) > maxPendingPushes) {
      PENDING_PUSHES.decrementAndGet(this);
      overloaded(msg);
      return;
    }
    InlineEvents.Event inlineEvent = inlineEvents.inlineEvent(route, msg.event());
    if (inlineEvent != null && mailbox.runInline(() -> handleInline(inlineEvent, msg))) {
      return;
    }
    mailbox.execute(() -> {
      long start = System.nanoTime();
      try {
        if (!done) {
          runHandleIn(msg);
        }
      } finally {
        PENDING_PUSHES.decrementAndGet(this);
        inlineEvents.ranQueued(route, msg.event(), System.nanoTime() - start);
      }
    });
  }

  /**
   * {@code handleIn} on the connection's thread, timed so that an event that turns slow moves off it; right after a
   * slow call, also against the thread's wait for a CPU.
   */
  private void handleInline(InlineEvents.Event inlineEvent, Message msg) {
    long waitedBefore = inlineEvents.watched(inlineEvent) ? RunQueueClock.waitedNanos() : RunQueueClock.UNKNOWN;
    long start = System.nanoTime();
    inline = true;
    try {
      if (!done) {
        runHandleIn(msg);
      }
    } finally {
      inline = false;
      PENDING_PUSHES.decrementAndGet(this);
      inlineEvents.ranInline(inlineEvent, route, msg.event(), System.nanoTime() - start, waitedBefore);
    }
  }

  /** The channel's {@code handleIn}, in a trace scope when the socket is traced. */
  private void runHandleIn(Message msg) {
    TracedSocket traced = outbox.traced(); // null unless the endpoint traces: then no tracing work at all
    Tracing tracing = traced == null ? null : telemetry.tracing();
    if (tracing == null) {
      runHandleIn(msg, null);
      return;
    }
    try (TraceScope scope = tracing.handleIn(traced, route, topic, msg.event())) {
      runHandleIn(msg, scope);
    }
  }

  /** The channel's {@code handleIn} and its reply; the scope, when there is one, records a crash's exception. */
  private void runHandleIn(Message msg, TraceScope scope) {
    currentRef = new ReplyRef(topic, replyJoinRef, msg.ref());
    long start = telemetry.start();
    String[] status = {"crash"};
    run(() -> {
      Reply reply;
      try {
        reply = channel.handleIn(msg.event(), msg.payload(), this);
      } catch (Throwable e) {
        if (scope != null) {
          scope.error(e);
        }
        throw e;
      }
      if (reply != null && !reply.isNone()) {
        sendReply(currentRef, reply.status(), reply.response());
        status[0] = reply.status();
      } else {
        status[0] = "noreply";
      }
    });
    if (scope != null) {
      scope.outcome(status[0]);
    }
    if (start != 0) {
      telemetry.eventHandled(route, topic, msg.event(), status[0], telemetry.since(start));
    }
  }

  /** A push past the bound: refused without queueing, so the client's callback fires and memory stays bounded. */
  private void overloaded(Message msg) {
    telemetry.rateLimited(topic, msg.event());
    sendReply(new ReplyRef(topic, replyJoinRef, msg.ref()), "error", Payload.of(OVERLOADED));
    if (logLimiter.allow(LogLimiter.Kind.OVERLOADED)) {
      log.info("channel {} of connection {} refused a push: {} are waiting for handleIn", LogSafe.clip(topic),
          LogSafe.clip(socketId), maxPendingPushes);
    }
  }

  /** Client pushes accepted and not yet handled. */
  public int pendingPushes() {
    return pendingPushes;
  }

  /** The client left: terminate, answer the leave, then close. */
  public void leave(String ref) {
    mailbox.execute(() -> {
      if (done) {
        return;
      }
      sendReply(new ReplyRef(topic, replyJoinRef, ref), "ok", Payload.empty());
      end(StopReason.LEFT);
      outbox.close(joinRef, topic);
    });
  }

  /** Ends the channel without telling the client (socket closed, or replaced by a duplicate join). */
  public CompletableFuture<Void> shutdown(StopReason reason) {
    mailbox.execute(() -> {
      if (!done) {
        end(reason);
      }
    });
    mailbox.release(); // a channel ended before it was released still has to run its end
    return ended;
  }

  @Override
  public void deliver(Dispatch dispatch) {
    if (done) {
      return;
    }
    telemetry.delivered();
    RecoveryGate gate = recoveryGate;
    if (gate != null) {
      gate.offer(dispatch);
    } else if (intercepts.contains(dispatch.broadcast().event())) {
      handleOut(dispatch);
    } else {
      outbox.broadcast(dispatch);
    }
  }

  /**
   * A recorded broadcast this channel sent with {@code broadcastFrom}: its client does not get it, but one holding
   * positions gets the position, in its turn, so that a recovery does not replay the broadcast to its sender.
   */
  @Override
  public void skipped(Dispatch dispatch) {
    RecoveryGate gate = recoveryGate;
    if (gate != null && !done) {
      gate.offer(dispatch.positionOnly());
    }
  }

  /**
   * The node may have missed recorded broadcasts of this topic: a client holding positions must not go on past the
   * gap, so the channel ends with {@code phx_error} and the client rejoins from its last position.
   */
  @Override
  public void historyLost() {
    if (recoveryGate == null || done) {
      return;
    }
    mailbox.execute(() -> {
      if (!done) {
        finish(StopReason.RESYNC, () -> outbox.resync(joinRef, topic));
      }
    });
  }

  /**
   * A broadcast to a client that asked for positions: the position travels as the message's ref. A channel that
   * intercepts some events sends the others through its mailbox too, behind the intercepted ones: a later broadcast
   * overtaking an earlier one would give the client a position past a broadcast it has not seen, and should the
   * connection drop then, its recovery would start after it.
   */
  private void sendPositioned(Dispatch dispatch) {
    if (intercepts.contains(dispatch.broadcast().event())) {
      handleOut(dispatch);
    } else if (!intercepts.isEmpty() && dispatch.position() != null) {
      mailbox.execute(() -> {
        if (!done) {
          outbox.positionedBroadcast(dispatch);
        }
      });
    } else {
      outbox.positionedBroadcast(dispatch);
    }
  }

  /** An intercepted broadcast, in turn on the mailbox; what handleOut pushes carries the broadcast's position. */
  private void handleOut(Dispatch dispatch) {
    mailbox.execute(() -> {
      if (!done) {
        long start = telemetry.start();
        handledOut = recoveryGate == null ? null : dispatch.position();
        try {
          run(() -> channel.handleOut(dispatch.broadcast().event(), dispatch.broadcast().payload(), this));
        } finally {
          handledOut = null;
        }
        if (start != 0) {
          telemetry.outHandled(route, topic, dispatch.broadcast().event(), telemetry.since(start));
        }
      }
    });
  }

  /** Runs a callback; afterwards honours {@link #stop()}, and turns an exception into a crash. */
  private void run(Runnable callback) {
    callbackThread = Thread.currentThread();
    try {
      callback.run();
    } catch (Throwable e) {
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.error("channel {} crashed", LogSafe.clip(topic), e);
      }
      finish(StopReason.CRASHED, () -> outbox.crashed(joinRef, topic));
      return;
    } finally {
      callbackThread = null;
    }
    if (stopRequested) {
      stopNow();
    }
  }

  private void stopNow() {
    if (!done) {
      finish(StopReason.STOPPED, () -> outbox.close(joinRef, topic));
    }
  }

  /**
   * Ends the channel after one of its callbacks, then tells the client ({@code tell}). Inline, only {@code done}
   * is set now — nothing more of this channel runs — and the end, with its {@code terminate}, runs next on the
   * mailbox, off the connection's thread.
   */
  private void finish(StopReason reason, Runnable tell) {
    if (inline) {
      done = true;
      mailbox.execute(() -> {
        end(reason);
        tell.run();
      });
    } else {
      end(reason);
      tell.run();
    }
  }

  /** Unsubscribes, runs terminate once, and forgets this channel. Mailbox thread only. */
  private void end(StopReason reason) {
    done = true;
    telemetry.channelEnded(route, topic, reason.name());
    if (subscription != null) {
      subscription.close();
    }
    try {
      channel.terminate(reason, this);
    } catch (Throwable e) {
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.warn("terminate of {} failed", LogSafe.clip(topic), e);
      }
    } finally {
      for (Runnable hook : terminateHooks) {
        runHook(hook);
      }
      onEnd.accept(this);
      ended.complete(null);
    }
  }

  /** A reply on this channel's topic (whatever topic a captured ref names, as before). */
  private void sendReply(ReplyRef ref, String status, Payload response) {
    outbox.reply(ref.joinRef(), ref.ref(), topic, status, response);
  }

  // ChannelContext ---------------------------------------------------------------------------------------

  @Override
  public String topic() {
    return topic;
  }

  @Override
  public Assigns assigns() {
    return assigns;
  }

  @Override
  public String socketId() {
    return socketId;
  }

  @Override
  public boolean recovered() {
    return recovered;
  }

  @Override
  public void push(String event, Object payload) {
    if (!joined) {
      throw new IllegalStateException("push before the join reply; send yourself a message and push from handleInfo");
    }
    if (!done) {
      Position position = Thread.currentThread() == callbackThread ? handledOut : null;
      outbox.push(replyJoinRef, position == null ? null : position.toString(), topic, event, Payload.of(payload));
    }
  }

  @Override
  public void broadcast(String event, Object payload) {
    pubSub.broadcast(topic, event, payload);
  }

  @Override
  public void broadcastFrom(String event, Object payload) {
    Fanout.of(pubSub).broadcastFrom(this, topic, event, payload);
  }

  @Override
  public void send(Object message) {
    mailbox.execute(() -> {
      if (!done) {
        run(() -> channel.handleInfo(message, this));
      }
    });
  }

  @Override
  public void sendAfter(Object message, Duration delay) {
    timers.schedule(delay, () -> send(message), this::handled);
  }

  /** Completes once the mailbox has run what was queued before, or the channel has ended. */
  private CompletableFuture<Void> handled() {
    CompletableFuture<Void> marker = new CompletableFuture<>();
    mailbox.execute(() -> marker.complete(null));
    return CompletableFuture.anyOf(marker, ended).thenApply(x -> null);
  }

  @Override
  public ReplyRef replyRef() {
    return currentRef;
  }

  @Override
  public void reply(ReplyRef ref, Reply reply) {
    if (!done && reply != null && !reply.isNone()) {
      sendReply(ref, reply.status(), reply.response());
    }
  }

  @Override
  public void stop() {
    if (Thread.currentThread() == callbackThread) {
      stopRequested = true; // honoured when the callback returns, after its reply
    } else {
      mailbox.execute(this::stopNow); // from offloaded work: in turn with the channel's other messages
    }
  }

  @Override
  public long queuedBytes() {
    return outbox.queuedBytes();
  }

  @Override
  public ChannelHooks hooks() {
    return hooks;
  }

  /** Runs a hook at most once: whoever removes it from the list runs it (end() or a late onTerminate). */
  private void runHook(Runnable hook) {
    if (!terminateHooks.remove(hook)) {
      return;
    }
    try {
      hook.run();
    } catch (RuntimeException e) {
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.warn("terminate hook of {} failed", LogSafe.clip(topic), e);
      }
    }
  }

  /** This channel's {@link ChannelHooks}: its terminate hooks and the endpoint's telemetry and PubSub. */
  private final class Hooks implements ChannelHooks {
    @Override
    public void onTerminate(Runnable hook) {
      terminateHooks.add(hook);
      if (done) {
        runHook(hook); // registered after (or while) the channel ended: end() may not see it
      }
    }

    @Override
    public Telemetry telemetry() {
      return telemetry;
    }

    @Override
    public PubSub pubSub() {
      return pubSub;
    }
  }

  @Override
  public String toString() {
    return "Channel[" + topic + ", joinRef=" + joinRef + "]";
  }
}
