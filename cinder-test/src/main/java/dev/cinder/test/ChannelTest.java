package dev.cinder.test;

import dev.cinder.Assigns;
import dev.cinder.Broadcast;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.serializer.Serializers;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.telemetry.Telemetry;
import dev.cinder.test.internal.ClientWire;
import dev.cinder.test.internal.ObservingHandler;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Tests an application's channels in-process, the way Phoenix's {@code Phoenix.ChannelTest} does: sockets without a
 * network, joined through the socket handler's routes, on Cinder's real channel runtime (the same mailboxes, every
 * frame encoded by the server's serializer and decoded as the official client reads it), with a
 * {@linkplain VirtualClock virtual clock} for {@code sendAfter} and the idle timeout.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ChannelTest channels = ChannelTest.forSocket(new UserSocket());
 *
 * @Test
 * void shout() {
 *   TestChannel room = channels.socket(Assigns.of(Map.of("user_id", "alice"))).join("room:lobby");
 *   room.push("shout", Map.of("body", "hi")).assertOk();
 *   room.assertPush("shout");
 * }
 * }</pre>
 *
 * <p>As a JUnit 5 extension it closes every socket a test opened after the test, forgets the timers and the
 * recorded broadcasts; without the extension, {@link #close()} does the same. Every assertion waits at most
 * {@linkplain #await(Duration) a bound} (10 s by default): callbacks run on the runtime's own threads.
 */
public final class ChannelTest implements AfterEachCallback, AutoCloseable {
  static final String FENCE_TIMEOUT = "did not handle a marker";

  private final SocketHandler handler;
  private PubSub pubSub;
  private SocketOptions options = SocketOptions.defaults();
  private Duration wait = Duration.ofSeconds(10);
  private VirtualClock clock;
  private ObservingHandler observed;
  private SocketMount mount;
  private final AtomicLong refs = new AtomicLong();
  private final List<TestSocket> sockets = new CopyOnWriteArrayList<>();
  private final Map<String, Inbox<Broadcast>> broadcasts = new ConcurrentHashMap<>();
  private final List<PubSub.Subscription> subscriptions = new CopyOnWriteArrayList<>();

  private ChannelTest(SocketHandler handler) {
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** Tests the channels routed by {@code handler}, with a {@link LocalPubSub} and default socket options. */
  public static ChannelTest forSocket(SocketHandler handler) {
    return new ChannelTest(handler);
  }

  /** The PubSub the channels broadcast on: the one the application's services (presence...) use. */
  public synchronized ChannelTest pubSub(PubSub value) {
    requireUnstarted("pubSub");
    this.pubSub = Objects.requireNonNull(value, "pubSub");
    return this;
  }

  /** The socket options (limits, idle timeout...); the transport ones do not apply without a network. */
  public synchronized ChannelTest options(SocketOptions value) {
    requireUnstarted("options");
    this.options = Objects.requireNonNull(value, "options");
    return this;
  }

  /** How long an assertion waits for what it expects (default 10 s). */
  public synchronized ChannelTest await(Duration value) {
    requireUnstarted("await");
    this.wait = Objects.requireNonNull(value, "await");
    return this;
  }

  private void requireUnstarted(String what) {
    if (mount != null) {
      throw new IllegalStateException("set " + what + " before the first socket");
    }
  }

  /** The PubSub the channels use. */
  public synchronized PubSub pubSub() {
    if (pubSub == null) {
      pubSub = new LocalPubSub();
    }
    return pubSub;
  }

  /** The virtual clock of {@code sendAfter} timers and the idle timeout. */
  public VirtualClock clock() {
    start();
    return clock;
  }

  private synchronized SocketMount start() {
    if (mount == null) {
      clock = new VirtualClock(wait);
      observed = new ObservingHandler(handler);
      mount = new SocketMount("/socket", observed, options, pubSub(), new Telemetry(), clock::schedule);
    }
    return mount;
  }

  /** A socket with these assigns, as if the handler's {@code connect} had accepted it; its id is the handler's. */
  public TestSocket socket(Assigns assigns) {
    SocketMount m = start();
    return open(new SocketMount.Accepted(m, Serializers.forVsn(ClientWire.VSN).orElseThrow(), assigns,
        observed.id(assigns)));
  }

  /** {@link #socket(Assigns)} with assigns from a map. */
  public TestSocket socket(Map<String, ?> assigns) {
    return socket(Assigns.of(assigns));
  }

  /** A socket accepted by the handler's {@code connect} with these params; fails if it refuses them. */
  public TestSocket connect(Params params) {
    return tryConnect(params).orElseThrow(() -> new AssertionError("the socket handler refused to connect with "
        + params.values().keySet() + " (params: " + params.values() + ")"));
  }

  /** {@link #connect(Params)} with params from a map. */
  public TestSocket connect(Map<String, String> params) {
    return connect(new Params(params));
  }

  /** The socket {@code connect} accepts with these params, or empty when it refuses them (HTTP 403 on a server). */
  public Optional<TestSocket> tryConnect(Params params) {
    Map<String, String> query = new HashMap<>(params.values());
    query.putIfAbsent("vsn", ClientWire.VSN);
    ConnectInfo info = new ConnectInfo(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        URI.create("/socket/websocket"), Map.of(), null, "websocket");
    return start().connect(query, info).map(this::open);
  }

  private TestSocket open(SocketMount.Accepted accepted) {
    TestSocket socket = new TestSocket(this, accepted, observed, clock, options.idleTimeout(), wait);
    sockets.add(socket);
    return socket;
  }

  String nextRef() {
    return Long.toString(refs.incrementAndGet());
  }

  /**
   * Records the broadcasts of {@code topic} from now on, for {@link #assertBroadcast}. A topic a test socket joins
   * is recorded from its join on.
   */
  public void subscribe(String topic) {
    broadcasts.computeIfAbsent(topic, t -> {
      Inbox<Broadcast> inbox = new Inbox<>();
      subscriptions.add(pubSub().subscribe(t, inbox::add));
      return inbox;
    });
  }

  /** Broadcasts from outside any channel, as server code does through the endpoint. */
  public void broadcast(String topic, String event, Object payload) {
    pubSub().broadcast(topic, event, payload);
  }

  /** Waits for a broadcast of {@code event} on {@code topic} (recorded, see {@link #subscribe}); returns its payload. */
  public Payload assertBroadcast(String topic, String event) {
    Inbox<Broadcast> inbox = recorded(topic);
    return inbox.take(b -> b.event().equals(event), wait, () -> false).map(Broadcast::payload)
        .orElseThrow(() -> new AssertionError("expected a broadcast \"" + event + "\" on " + topic + " within " + wait
            + "; broadcasts on it: " + describe(inbox.all(b -> true))));
  }

  /** {@link #assertBroadcast(String, String)} whose payload equals {@code expected} as JSON. */
  public Payload assertBroadcast(String topic, String event, Object expected) {
    Payload payload = assertBroadcast(topic, event);
    Payloads.assertEqual(expected, payload, "broadcast \"" + event + "\" on " + topic);
    return payload;
  }

  /**
   * Fails if a broadcast of {@code event} on {@code topic} arrived, or arrives before every joined channel has
   * handled what was sent to it so far.
   */
  public void refuteBroadcast(String topic, String event) {
    Inbox<Broadcast> inbox = recorded(topic);
    fenceAll();
    List<Broadcast> found = inbox.unread(b -> b.event().equals(event));
    if (!found.isEmpty()) {
      throw new AssertionError("expected no broadcast \"" + event + "\" on " + topic + ", got " + describe(found));
    }
  }

  private Inbox<Broadcast> recorded(String topic) {
    Inbox<Broadcast> inbox = broadcasts.get(topic);
    if (inbox == null) {
      throw new IllegalStateException("broadcasts on " + topic + " are not recorded: join it or subscribe(\"" + topic
          + "\") first");
    }
    return inbox;
  }

  private static String describe(List<Broadcast> list) {
    return list.isEmpty() ? "none" : list.stream().map(b -> "\"" + b.event() + "\" " + b.payload()).toList().toString();
  }

  /** Waits until every channel joined so far has handled what was queued for it (a marker through each mailbox). */
  void fenceAll() {
    for (TestSocket socket : sockets) {
      socket.fence();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close();
  }

  /** Closes every socket opened so far (their channels terminate), forgets timers and recorded broadcasts. */
  @Override
  public void close() {
    for (TestSocket socket : sockets) {
      socket.close();
    }
    sockets.clear();
    subscriptions.forEach(PubSub.Subscription::close);
    subscriptions.clear();
    broadcasts.clear();
    if (clock != null) {
      clock.clear();
      observed.clear();
    }
  }
}
