package dev.cinder.internal.socket;

import dev.cinder.Assigns;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Routes;
import dev.cinder.StopReason;
import dev.cinder.internal.LogLimiter;
import dev.cinder.internal.LogSafe;
import dev.cinder.internal.channel.ChannelProcess;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.channel.Outbox;
import dev.cinder.internal.mailbox.Mailbox;
import dev.cinder.internal.pubsub.Dispatch;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.MalformedFrameException;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.Serializer;
import dev.cinder.telemetry.TracedSocket;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: decodes its frames in order, answers heartbeats, and demultiplexes messages to the
 * channels it joined. Joins run on the socket's own mailbox (they may block), and frames that
 * arrive meanwhile wait behind them, so a join completes before the next frame of the same connection is
 * looked at; everything else is routed on the transport's thread, without a hop.
 *
 * <p>A {@code phx_join} goes one way: this session refuses what it can tell without the channel (no route, too
 * many channels, a channel that cannot be created), registers the new {@link ChannelProcess} and hands it the
 * join; the process runs the channel's {@code join} and answers. Every reply, from here or from a channel, is
 * built by the socket's {@link Outbox}.
 *
 * <p>Every message the client sends counts against its inbound rate ({@link dev.cinder.SocketOptions#inboundRate});
 * the first one over it closes the connection with 1008, and the messages after it are dropped unread.
 */
public final class SocketSession {
  private static final Logger log = LoggerFactory.getLogger(SocketSession.class);
  private static final Map<String, String> UNMATCHED = Map.of("reason", "unmatched topic");
  private static final Map<String, String> JOIN_CRASHED = Map.of("reason", "join crashed");
  private static final long DUPLICATE_JOIN_WAIT_MS = 5_000;

  private final Connection connection;
  private final Serializer serializer;
  private final Outbox outbox;
  private final SocketMount mount;
  private final Assigns assigns;
  private final String id;
  private final Mailbox mailbox = new Mailbox();
  private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();
  private final Map<String, ChannelProcess> channels = new ConcurrentHashMap<>();
  private final InboundRateLimit inboundRate;
  private boolean overRate; // with inboundRate: the reader's thread only
  private final LogLimiter logLimiter;
  private volatile PubSub.Subscription idSubscription;
  private volatile boolean closed;
  private final CompletableFuture<Void> ended = new CompletableFuture<>();

  SocketSession(Connection connection, Serializer serializer, SocketMount mount, Assigns assigns, String id,
      TracedSocket traced) {
    this.connection = connection;
    this.serializer = serializer;
    this.outbox = new Outbox(connection, serializer, traced);
    this.mount = mount;
    this.assigns = assigns;
    this.id = id;
    this.inboundRate = new InboundRateLimit(mount.options().inboundRate(), mount.options().inboundBurst());
    this.logLimiter = new LogLimiter(id);
  }

  void start() {
    // Counted here, not at connect: a client that vanished during the handshake never gets a session to close.
    mount.telemetry().socketOpened();
    if (id != null) {
      idSubscription = Fanout.of(mount.pubSub()).subscribeShared(id, this::onIdBroadcast);
    }
  }

  public String id() {
    return id;
  }

  public Serializer serializer() {
    return serializer;
  }

  /** The number of channels currently joined. */
  public int channelCount() {
    return channels.size();
  }

  /**
   * A frame from the client, in arrival order, from one transport thread at a time. Returns at once. Decoding,
   * heartbeats and routing to a joined channel's mailbox happen right here (none of them blocks); a join, which
   * may block, goes to the socket's mailbox, and so does every frame behind it until it is done — so a message
   * that follows a join is routed only once the join's outcome is known.
   */
  public void receive(Frame frame) {
    if (!admitted()) {
      return;
    }
    if (pending.get() > 0) {
      enqueue(() -> handle(frame));
      return;
    }
    Message message = decode(frame);
    if (message == null) {
      return;
    }
    if ("phx_join".equals(message.event())) {
      enqueue(() -> dispatch(message));
    } else {
      dispatch(message);
    }
  }

  /** Runs {@code task} on the socket's mailbox, counted so that {@link #receive} keeps arrival order. */
  private void enqueue(Runnable task) {
    pending.incrementAndGet();
    mailbox.execute(() -> {
      try {
        task.run();
      } finally {
        pending.decrementAndGet();
      }
    });
  }

  /**
   * A message the transport already decoded with {@link #serializer()} (long-poll validates a whole batch
   * before taking any of it); {@code handled} runs once it went through dispatch.
   */
  public void receive(Message message, Runnable handled) {
    enqueue(() -> {
      try {
        if (!closed && admitted()) {
          dispatch(message);
        }
      } finally {
        handled.run();
      }
    });
  }

  /**
   * Counts one client message against the inbound rate. The first one over it closes the connection (1008);
   * it and every later one are dropped. On the reader's thread only.
   */
  private boolean admitted() {
    if (!overRate && inboundRate.tryAcquire()) {
      return true;
    }
    if (!overRate) {
      overRate = true;
      log.info("closing connection {}: more than {} messages at once or {} per second", LogSafe.clip(id),
          mount.options().inboundBurst(), mount.options().inboundRate());
      mount.telemetry().transportError(connection.transport(), "inbound_rate");
      connection.close(CloseCodes.POLICY_VIOLATION, "rate limit exceeded");
    }
    return false;
  }

  /** The transport went away: every channel ends quietly, nothing more is sent. Idempotent. */
  public void transportClosed() {
    enqueue(() -> {
      if (closed) {
        return;
      }
      closed = true;
      mount.telemetry().socketClosed(mount.path(), connection.transport());
      if (idSubscription != null) {
        idSubscription.close();
      }
      CompletableFuture<?>[] channelsEnded = channels.values().stream()
          .map(ch -> ch.shutdown(StopReason.SOCKET_CLOSED)).toArray(CompletableFuture<?>[]::new);
      channels.clear();
      CompletableFuture.allOf(channelsEnded).whenComplete((done, failed) -> ended.complete(null));
    });
  }

  /**
   * Completes once the transport has closed and every channel joined then has ended, its {@code terminate} and
   * terminate hooks (presence untracks) run: what a server's drain waits for before it stops.
   */
  public CompletableFuture<Void> ended() {
    return ended;
  }

  private void onIdBroadcast(Dispatch dispatch) {
    if ("disconnect".equals(dispatch.broadcast().event())) {
      connection.close(CloseCodes.GOING_AWAY, "disconnected");
    }
  }

  private void handle(Frame frame) {
    Message message = decode(frame);
    if (message != null) {
      dispatch(message);
    }
  }

  /** The frame's message, or null when the socket is closed or the frame is malformed (which closes it). */
  private Message decode(Frame frame) {
    if (closed) {
      return null;
    }
    try {
      return serializer.decode(frame);
    } catch (MalformedFrameException e) {
      log.info("closing connection {}: malformed frame: {}", LogSafe.clip(id), LogSafe.clip(e.getMessage()));
      mount.telemetry().transportError(connection.transport(), "malformed_frame");
      connection.close(CloseCodes.PROTOCOL_ERROR, "malformed frame");
      return null;
    }
  }

  private void dispatch(Message msg) {
    if ("phoenix".equals(msg.topic()) && "heartbeat".equals(msg.event())) {
      outbox.reply(null, msg.ref(), msg.topic(), "ok", Payload.empty());
      return;
    }
    ChannelProcess channel = channels.get(msg.topic());
    switch (msg.event()) {
      case "phx_join" -> join(msg, channel);
      case "phx_leave" -> {
        if (channel == null) {
          outbox.reply(msg.joinRef(), msg.ref(), msg.topic(), "ok", Payload.empty());
        } else if (channel.acceptsJoinRef(msg.joinRef())) {
          channels.remove(msg.topic(), channel);
          channel.leave(msg.ref());
        }
      }
      default -> {
        if (channel == null) {
          outbox.reply(null, msg.ref(), msg.topic(), "error", Payload.of(UNMATCHED));
        } else if (channel.acceptsJoinRef(msg.joinRef())) {
          channel.handleIn(msg);
        }
        // A stale join_ref is a message from an earlier join: ignored silently, as Phoenix does.
      }
    }
  }

  private void join(Message msg, ChannelProcess existing) {
    Optional<Routes.Route> route = mount.routes().route(msg.topic());
    if (route.isEmpty()) {
      if (log.isDebugEnabled() && logLimiter.allow(LogLimiter.Kind.JOIN_REFUSED)) {
        log.debug("connection {}: join refused: no channel route matches topic {}", LogSafe.clip(id),
            LogSafe.clip(msg.topic()));
      }
      outbox.reply(null, msg.ref(), msg.topic(), "error", Payload.of(UNMATCHED));
      return;
    }
    if (existing != null) {
      channels.remove(msg.topic(), existing);
      awaitEnd(existing, existing.shutdown(StopReason.DUPLICATE_JOIN));
    } else if (channels.size() >= mount.options().maxChannels()) {
      refuseJoin(msg, Payload.of(Map.of("reason", "too many channels joined")));
      return;
    }
    ChannelProcess channel;
    try {
      channel = new ChannelProcess(msg.topic(), msg.joinRef(), msg.ref(), route.get(),
          assigns.copy(), id, outbox, mount.pubSub(), mount.telemetry(), this::channelEnded,
          mount.options().maxPendingPushes(), mount.inlineEvents(), logLimiter, mount.timers());
    } catch (Throwable e) {
      // The channel's factory or intercepts() threw: to the client, that is a join that crashed.
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.error("join of {} crashed: the channel could not be created", LogSafe.clip(msg.topic()), e);
      }
      refuseJoin(msg, Payload.of(JOIN_CRASHED));
      closeReplaced(existing, msg.topic());
      return;
    }
    // Registered before its join runs, so that a channel ending right after it is forgotten, not re-added; no
    // other message of this socket is routed meanwhile (they wait behind the join).
    channels.put(msg.topic(), channel);
    channel.join(msg.payload());
    closeReplaced(existing, msg.topic());
  }

  /** An error reply to a join refused before any channel ran; it carries the join's join_ref (or its ref). */
  private void refuseJoin(Message msg, Payload response) {
    String joinRef = msg.joinRef() != null ? msg.joinRef() : msg.ref();
    outbox.reply(joinRef, msg.ref(), msg.topic(), "error", response);
  }

  /** After a duplicate join: the new join's reply went first; the old join's close follows, dropped as stale. */
  private void closeReplaced(ChannelProcess existing, String topic) {
    if (existing != null) {
      outbox.close(existing.joinRef(), topic);
    }
  }

  private void awaitEnd(ChannelProcess channel, CompletableFuture<Void> channelEnd) {
    try {
      channelEnd.get(DUPLICATE_JOIN_WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      if (logLimiter.allow(LogLimiter.Kind.CHANNEL_FAILURE)) {
        log.warn("channel {} did not end within {} ms after a duplicate join", LogSafe.clip(channel.topic()),
            DUPLICATE_JOIN_WAIT_MS);
      }
    }
  }

  private void channelEnded(ChannelProcess channel) {
    channels.remove(channel.topic(), channel);
  }
}
