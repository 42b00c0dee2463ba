package dev.cinder.test;

import dev.cinder.Assigns;
import dev.cinder.Payload;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.socket.SocketSession;
import dev.cinder.test.internal.ChannelRecord;
import dev.cinder.test.internal.ClientWire;
import dev.cinder.test.internal.ObservingHandler;
import dev.cinder.test.internal.TestConnection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * One client connection of a {@link ChannelTest}: it joins channels, and receives what the server sends it, as the
 * official client would over a WebSocket. Sending a message or a {@linkplain #heartbeat heartbeat} keeps it from
 * the idle timeout, which the {@linkplain ChannelTest#clock virtual clock} measures.
 */
public final class TestSocket {
  private final ChannelTest test;
  private final ObservingHandler observed;
  private final VirtualClock clock;
  private final Duration idleTimeout;
  private final Duration wait;
  private final Assigns assigns;
  private final SocketSession session;
  private final Inbox<Received> inbox = new Inbox<>();
  private final Map<String, TestChannel> current = new ConcurrentHashMap<>();
  private final List<TestChannel> joined = new CopyOnWriteArrayList<>();
  private volatile TestConnection.Close closedByServer;
  private volatile boolean closed;
  private long idleDeadline; // virtual nanos; guarded by this

  TestSocket(ChannelTest test, SocketMount.Accepted accepted, ObservingHandler observed, VirtualClock clock,
      Duration idleTimeout, Duration wait) {
    this.test = test;
    this.observed = observed;
    this.clock = clock;
    this.idleTimeout = idleTimeout;
    this.wait = wait;
    this.assigns = accepted.assigns();
    this.session = accepted.open(new TestConnection(inbox::add, this::closedByServer));
    touch();
  }

  /** The socket's id ({@code SocketHandler.id}), or null. */
  public String id() {
    return session.id();
  }

  /** The socket's assigns, as {@code connect} returned them; each join gets a copy. */
  public Assigns assigns() {
    return assigns;
  }

  /** Joins {@code topic} with empty params and asserts the join is accepted. */
  public TestChannel join(String topic) {
    return join(topic, Map.of());
  }

  /** Joins {@code topic} with {@code params} (a map, record or JSON) and asserts the join is accepted. */
  public TestChannel join(String topic, Object params) {
    return joinResult(topic, params).channel();
  }

  /** Joins {@code topic} and returns the outcome, accepted or refused. */
  public JoinResult joinResult(String topic, Object params) {
    String ref = test.nextRef();
    ChannelRecord record = observed.expect(ref);
    TestChannel channel = new TestChannel(this, topic, ref, record, wait);
    record.ended().whenComplete((reason, e) -> inbox.poke());
    test.subscribe(topic);
    send(ref, ref, topic, "phx_join", params);
    Received reply = take(r -> r.isReply() && ref.equals(r.ref()) && topic.equals(r.topic()),
        () -> "the reply to the join of " + topic);
    if (!"ok".equals(reply.status())) {
      return new JoinResult(topic, reply.status(), reply.payload(), null, record.failure());
    }
    current.put(topic, channel);
    joined.add(channel);
    return new JoinResult(topic, reply.status(), reply.payload(), channel, null);
  }

  /** The channel this socket joined last on {@code topic}. */
  public TestChannel channel(String topic) {
    TestChannel channel = current.get(topic);
    if (channel == null) {
      throw new AssertionError("this socket has not joined " + topic + "; it joined " + current.keySet());
    }
    return channel;
  }

  /** Sends a heartbeat and waits for its reply; like every client message, it resets the idle timeout. */
  public void heartbeat() {
    String ref = test.nextRef();
    send(null, ref, "phoenix", "heartbeat", Map.of());
    take(r -> r.isReply() && ref.equals(r.ref()), () -> "the heartbeat's reply");
  }

  /** Every message this socket received so far, in arrival order, taken by assertions or not. */
  public List<Received> received() {
    return inbox.all(r -> !r.event().equals(dev.cinder.test.internal.Fence.EVENT));
  }

  /** Whether neither side has closed this socket. */
  public boolean isOpen() {
    return !closed && closedByServer == null;
  }

  /**
   * Asserts that the server closed this socket (idle timeout, rate limit, a {@code disconnect} broadcast to its id)
   * with {@code code}, waiting for it.
   */
  public void assertClosedByServer(int code) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (closedByServer == null && System.nanoTime() < deadline) {
      inbox.take(r -> false, Duration.ofMillis(20), () -> closedByServer != null);
    }
    TestConnection.Close close = closedByServer;
    if (close == null) {
      throw new AssertionError("expected the server to close the socket with " + code + " within " + wait
          + "; it is still open");
    }
    if (close.code() != code) {
      throw new AssertionError("expected the server to close the socket with " + code + " but it closed it with "
          + close.code() + " (" + close.reason() + ")");
    }
  }

  /** Closes the connection from the client's side: every channel terminates; waits until they have. */
  public void close() {
    closed = true;
    session.transportClosed();
    try {
      session.ended().get(wait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (Exception e) {
      throw new AssertionError("the socket's channels did not all terminate within " + wait, e);
    }
  }

  // For the test's channels and the ChannelTest ------------------------------------------------------------

  synchronized void send(String joinRef, String ref, String topic, String event, Object payload) {
    if (!isOpen()) {
      throw new IllegalStateException("the socket is closed");
    }
    touch();
    session.receive(ClientWire.encode(joinRef, ref, topic, event, payload == null ? Map.of() : payload));
  }

  Received take(java.util.function.Predicate<Received> match, java.util.function.Supplier<String> what) {
    return inbox.take(match, wait, () -> false).orElseThrow(() -> new AssertionError("expected " + what.get()
        + " within " + wait + "; received: " + describe(received())));
  }

  String nextRef() {
    return test.nextRef();
  }

  void fenceAll() {
    test.fenceAll();
  }

  Inbox<Received> inbox() {
    return inbox;
  }

  boolean isCurrent(TestChannel channel) {
    return current.get(channel.topic()) == channel;
  }

  /** Waits until each live channel of this socket handled what was queued for it. */
  void fence() {
    for (TestChannel channel : joined) {
      channel.fence();
    }
  }

  static String describe(List<Received> messages) {
    if (messages.isEmpty()) {
      return "nothing";
    }
    StringBuilder text = new StringBuilder();
    for (Received r : messages) {
      text.append("\n  ").append(r);
    }
    return text.toString();
  }

  /** The idle timeout restarts at every client message; a timer past it closes the socket with 1001. */
  private synchronized void touch() {
    boolean armed = idleDeadline != 0;
    idleDeadline = clock.elapsed().plus(idleTimeout).toNanos();
    if (!armed) {
      clock.schedule(idleTimeout, this::idleCheck);
    }
  }

  private java.util.concurrent.CompletableFuture<Void> idleCheck() {
    synchronized (this) {
      long left = idleDeadline - clock.elapsed().toNanos();
      if (!isOpen()) {
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }
      if (left > 0) {
        clock.schedule(Duration.ofNanos(left), this::idleCheck);
        return java.util.concurrent.CompletableFuture.completedFuture(null);
      }
    }
    closedByServer(new TestConnection.Close(1001, "idle timeout"));
    return session.ended();
  }

  private void closedByServer(TestConnection.Close close) {
    if (closedByServer == null) {
      closedByServer = close;
      session.transportClosed();
      inbox.poke();
    }
  }
}
