package dev.cinder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Transport and limit settings of one socket mount, immutable: start from {@link #defaults()} and change
 * what you need; each setter returns a changed copy, e.g. {@code defaults().idleTimeout(ofSeconds(45))}.
 */
public final class SocketOptions {
  /** The settable values; a copy is changed and frozen by {@link #with}. */
  private static final class Values implements Cloneable {
    int maxChannels = 100;
    Duration idleTimeout = Duration.ofSeconds(60);
    int maxFrameSize = 1 << 20;
    CheckOrigin checkOrigin = CheckOrigin.off();
    boolean compress;
    boolean authToken = true;
    boolean websocket = true;
    boolean longPoll;
    long maxQueuedBytes = 4L << 20;
    SlowConsumerPolicy slowConsumerPolicy = SlowConsumerPolicy.CLOSE;
    Duration longPollWindow = Duration.ofSeconds(10);
    int maxLongPollSessionsPerId = 20;
    int maxLongPollSessionsPerAddress = 1000;
    int maxLongPollSessions = 100_000;
    // Inbound work: messages per second and burst per connection, client messages waiting per channel.
    int inboundRate = 100;
    int inboundBurst = 500;
    int maxPendingPushes = 1_000;
    Duration inlinePushLimit = Duration.ofMillis(1);

    List<Object> all() {
      return List.of(maxChannels, idleTimeout, maxFrameSize, checkOrigin, compress, authToken, websocket, longPoll,
          maxQueuedBytes, slowConsumerPolicy, longPollWindow,
          maxLongPollSessionsPerId, maxLongPollSessionsPerAddress, maxLongPollSessions,
          inboundRate, inboundBurst, maxPendingPushes, inlinePushLimit);
    }

    @Override
    protected Values clone() {
      try {
        return (Values) super.clone();
      } catch (CloneNotSupportedException e) {
        throw new AssertionError(e);
      }
    }
  }

  private static final SocketOptions DEFAULTS = new SocketOptions(new Values());

  private final Values v;

  private SocketOptions(Values values) {
    this.v = values;
  }

  /**
   * 100 channels per connection, 60 s idle timeout, 1 MiB frames, any origin, no compression, authToken
   * accepted, WebSocket on, long-poll off (10 s window), 4 MiB of queued output per connection and then close;
   * inbound, 100 messages per second per connection with bursts of 500, and 1,000 pushes waiting per channel;
   * long-poll sessions at most 20 per socket id, 1,000 per client address and 100,000 per mount; a push's
   * {@code handleIn} inline once 64 calls of its event in a row took at most 1 ms each.
   */
  public static SocketOptions defaults() {
    return DEFAULTS;
  }

  private SocketOptions with(Consumer<Values> change) {
    Values copy = v.clone();
    change.accept(copy);
    return new SocketOptions(copy);
  }

  /** Channels one connection may join (Phoenix's {@code max_channels_per_transport}); the next join is refused. */
  public int maxChannels() {
    return v.maxChannels;
  }

  public SocketOptions maxChannels(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxChannels must be at least 1");
    }
    return with(c -> c.maxChannels = value);
  }

  /**
   * A WebSocket whose client shows no activity for this long (default 60 s) is closed with 1001. Activity is a
   * complete data message, or a ping or pong while no fragmented message is half-received: pings keep an idle
   * client connected, but not an unfinished message. The official client's heartbeat (a data message every
   * 30 s) keeps it open.
   */
  public Duration idleTimeout() {
    return v.idleTimeout;
  }

  public SocketOptions idleTimeout(Duration value) {
    requirePositive(value, "idleTimeout");
    return with(c -> c.idleTimeout = value);
  }

  /**
   * The largest client message in bytes (default 1 MiB), whole (fragments joined) and, with {@link #compress()},
   * inflated; a larger one closes the connection with 1009.
   */
  public int maxFrameSize() {
    return v.maxFrameSize;
  }

  public SocketOptions maxFrameSize(int value) {
    if (value < 1024) {
      throw new IllegalArgumentException("maxFrameSize must be at least 1024 bytes");
    }
    return with(c -> c.maxFrameSize = value);
  }

  /** Which browser origins may connect. */
  public CheckOrigin checkOrigin() {
    return v.checkOrigin;
  }

  public SocketOptions checkOrigin(CheckOrigin value) {
    Objects.requireNonNull(value, "checkOrigin");
    return with(c -> c.checkOrigin = value);
  }

  /** permessage-deflate when the client offers it. */
  public boolean compress() {
    return v.compress;
  }

  public SocketOptions compress(boolean value) {
    return with(c -> c.compress = value);
  }

  /** Accept the token in {@code Sec-WebSocket-Protocol}, as the official client's {@code authToken} sends it. */
  public boolean authToken() {
    return v.authToken;
  }

  public SocketOptions authToken(boolean value) {
    return with(c -> c.authToken = value);
  }

  /** Serve the WebSocket transport at {@code <path>/websocket}. */
  public boolean websocket() {
    return v.websocket;
  }

  public SocketOptions websocket(boolean value) {
    return with(c -> c.websocket = value);
  }

  /** Serve the long-poll transport at {@code <path>/longpoll}. */
  public boolean longPoll() {
    return v.longPoll;
  }

  public SocketOptions longPoll(boolean value) {
    return with(c -> c.longPoll = value);
  }

  /**
   * Outbound bytes a connection may have queued for a slow client (default 4 MiB) before
   * {@link #slowConsumerPolicy()} applies, so one stalled reader cannot grow the server's memory. Over WebSocket,
   * on close the queue is dropped and the client reads what was already on its way, then a 1013 close frame;
   * a client that does not take it within 2 s is disconnected.
   */
  public long maxQueuedBytes() {
    return v.maxQueuedBytes;
  }

  public SocketOptions maxQueuedBytes(long value) {
    if (value < 1024) {
      throw new IllegalArgumentException("maxQueuedBytes must be at least 1024 bytes");
    }
    return with(c -> c.maxQueuedBytes = value);
  }

  /** Close (default) or drop when {@link #maxQueuedBytes()} is exceeded. */
  public SlowConsumerPolicy slowConsumerPolicy() {
    return v.slowConsumerPolicy;
  }

  public SocketOptions slowConsumerPolicy(SlowConsumerPolicy value) {
    Objects.requireNonNull(value, "slowConsumerPolicy");
    return with(c -> c.slowConsumerPolicy = value);
  }

  /** How long a long-poll GET waits for messages (then 204); a session not polled for 1.5 windows ends. */
  public Duration longPollWindow() {
    return v.longPollWindow;
  }

  public SocketOptions longPollWindow(Duration value) {
    requirePositive(value, "longPollWindow");
    return with(c -> c.longPollWindow = value);
  }

  // Long-poll session caps. A refused handshake is answered {"status":403}, as for a refused connect: the
  // official client closes with 1008 ("forbidden") and reconnects with its usual backoff. Refusals are
  // counted as telemetry transport errors (transport "longpoll", kind "too_many_sessions").

  /**
   * Long-poll sessions of this mount whose socket has the same {@link SocketHandler#id id} (default 20);
   * sockets without an id are not counted. The official client holds one session per socket and opens a
   * new one only once the old one is gone or abandoned (then swept within 1.5 windows), so 20 covers a user
   * with many tabs or devices, each mid-reconnect. {@code Integer.MAX_VALUE} turns the cap off.
   */
  public int maxLongPollSessionsPerId() {
    return v.maxLongPollSessionsPerId;
  }

  public SocketOptions maxLongPollSessionsPerId(int value) {
    requirePositive(value, "maxLongPollSessionsPerId");
    return with(c -> c.maxLongPollSessionsPerId = value);
  }

  /**
   * Long-poll sessions of this mount from one client address (default 1000; IPv6 addresses count per /64,
   * the block one subscriber gets). High because long-poll is the fallback for networks that block
   * WebSockets, typically offices behind one proxy or NAT address. Behind a reverse proxy every client has
   * the proxy's address: raise this to {@link #maxLongPollSessions()} or turn it off with
   * {@code Integer.MAX_VALUE}.
   */
  public int maxLongPollSessionsPerAddress() {
    return v.maxLongPollSessionsPerAddress;
  }

  public SocketOptions maxLongPollSessionsPerAddress(int value) {
    requirePositive(value, "maxLongPollSessionsPerAddress");
    return with(c -> c.maxLongPollSessionsPerAddress = value);
  }

  /**
   * Long-poll sessions of this mount in all (default 100,000), so a flood from many addresses still has a
   * bounded cost in memory (a few tens of KB per idle session).
   */
  public int maxLongPollSessions() {
    return v.maxLongPollSessions;
  }

  public SocketOptions maxLongPollSessions(int value) {
    requirePositive(value, "maxLongPollSessions");
    return with(c -> c.maxLongPollSessions = value);
  }

  /** A zero or negative timeout would close every connection (or end every session) at once. */
  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }

  private static void requirePositive(int value, String name) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1");
    }
  }

  /**
   * Messages per second a connection may send, sustained, heartbeats, joins, pushes and leaves alike (default
   * 100); {@link #inboundBurst()} more may come at once. A client over it is closed with 1008 (policy violation,
   * reason "rate limit exceeded"; a long-poll session ends), so one client cannot keep the server busy for
   * others. The official client reconnects after such a close, with backoff. The default is far above what it
   * sends in normal use: one heartbeat per 30 s, a rejoin per channel after a reconnect, the app's pushes.
   */
  public int inboundRate() {
    return v.inboundRate;
  }

  public SocketOptions inboundRate(int perSecond) {
    if (perSecond < 1) {
      throw new IllegalArgumentException("inboundRate must be at least 1 message per second");
    }
    return with(c -> c.inboundRate = perSecond);
  }

  /**
   * Messages a connection may send at once on top of {@link #inboundRate()} (default 500): room for a
   * reconnect that rejoins {@link #maxChannels()} channels at once. The limit is a token bucket of this size,
   * refilled at {@link #inboundRate()}.
   */
  public int inboundBurst() {
    return v.inboundBurst;
  }

  public SocketOptions inboundBurst(int messages) {
    if (messages < 1) {
      throw new IllegalArgumentException("inboundBurst must be at least 1 message");
    }
    return with(c -> c.inboundBurst = messages);
  }

  /**
   * Client pushes a channel may hold at once, waiting for or inside {@code handleIn} (default 1,000). A push
   * past it is not queued: the client gets {@code {"status":"error","response":{"reason":"overloaded"}}} as its
   * reply at once (its push callback fires) and the refusal is counted in telemetry as rate limited. Joins and
   * leaves, intercepted broadcasts ({@code handleOut}) and the server's own messages ({@code handleInfo}) are not
   * counted: they are not the client's to flood, or are bounded elsewhere.
   */
  public int maxPendingPushes() {
    return v.maxPendingPushes;
  }

  public SocketOptions maxPendingPushes(int value) {
    if (value < 1) {
      throw new IllegalArgumentException("maxPendingPushes must be at least 1");
    }
    return with(c -> c.maxPendingPushes = value);
  }

  /**
   * How long a client push's {@code handleIn} may take and still run inline (default 1 ms). Every event starts on
   * its channel's virtual thread, where blocking costs nothing else; once 64 of its calls in a row (per route and
   * event) each took at most this long, it runs inline, on the thread that read the push from the connection: no
   * hand-over between threads, the cheapest and fastest path. An inline call over the limit sends the event back
   * to the virtual thread (logged), and it needs twice as many fast calls in a row (at most 4,096) to come back;
   * only the first such call in 1,024 inline calls of the event, if under 50 times the limit, is forgiven (a
   * collector pause or the OS makes a fast call look as slow). On Linux, the calls right after a slow one are also
   * timed against the thread's wait for a CPU, and that wait is not counted. Such a call has
   * held up the other connections of its I/O thread while it ran, so an event that can block for long (a lock, a
   * remote call that may hang) is best kept off it: {@link Duration#ZERO} runs every push on its channel's virtual
   * thread. Callbacks other than {@code handleIn} always run on the channel's virtual thread.
   */
  public Duration inlinePushLimit() {
    return v.inlinePushLimit;
  }

  public SocketOptions inlinePushLimit(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("inlinePushLimit must not be negative");
    }
    return with(c -> c.inlinePushLimit = value);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SocketOptions other && v.all().equals(other.v.all());
  }

  @Override
  public int hashCode() {
    return v.all().hashCode();
  }

  @Override
  public String toString() {
    return "SocketOptions" + v.all();
  }
}
