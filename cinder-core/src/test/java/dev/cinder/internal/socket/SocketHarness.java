package dev.cinder.internal.socket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.pubsub.LocalPubSub;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * One socket mount over a local PubSub, with in-memory clients that speak V2 text frames. Frames are written
 * with single quotes ({@code "['1','1','room:1','phx_join',{}]"}) and compared as exact text.
 */
final class SocketHarness {
  static final ConnectInfo INFO = new ConnectInfo(null, URI.create("/socket/websocket?vsn=2.0.0"), Map.of(), null,
      "websocket");

  final LocalPubSub pubSub = new LocalPubSub();
  final Probe probe = new Probe();
  private SocketOptions options = SocketOptions.defaults();
  private String socketId;
  private SocketMount mount;

  SocketHarness options(SocketOptions value) {
    this.options = value;
    return this;
  }

  SocketHarness socketId(String value) {
    this.socketId = value;
    return this;
  }

  Client connect() {
    if (mount == null) {
      mount = new SocketMount("/socket", new Handler(), options, pubSub, new dev.cinder.telemetry.Telemetry());
    }
    RecordingConnection connection = new RecordingConnection();
    SocketMount.Accepted accepted = mount.connect(Map.of("vsn", "2.0.0"), INFO).orElseThrow();
    return new Client(accepted.open(connection), connection);
  }

  static ConditionFactory eventually() {
    return Awaitility.await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
  }

  /** Single quotes to double quotes: frames stay readable in Java source. */
  static String json(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private final class Handler implements SocketHandler {
    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", () -> new TestChannel(probe))
          .channel("broken:*", () -> {
            throw new IllegalStateException("channel constructor failure");
          });
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok(Map.of("user_id", 42));
    }

    @Override
    public String id(dev.cinder.Assigns assigns) {
      return socketId;
    }
  }

  /** One connected client. */
  static final class Client {
    private static final AtomicInteger SYNC_REFS = new AtomicInteger();

    final SocketSession session;
    final RecordingConnection connection;

    Client(SocketSession session, RecordingConnection connection) {
      this.session = session;
      this.connection = connection;
    }

    void send(String singleQuoted) {
      session.receive(Frame.text(json(singleQuoted)));
    }

    /** Joins {@code topic} with join_ref = ref = {@code joinRef} and waits for the ok. */
    void join(String topic, String joinRef) {
      int before = frames().size();
      send("['" + joinRef + "','" + joinRef + "','" + topic + "','phx_join',{}]");
      eventually().untilAsserted(() -> assertThat(frames()).hasSizeGreaterThan(before)
          .contains(json("['" + joinRef + "','" + joinRef + "','" + topic
              + "','phx_reply',{'status':'ok','response':{}}]")));
    }

    List<String> frames() {
      return connection.texts();
    }

    /** Waits until the client received exactly these frames, in this order. */
    void expectFrames(String... singleQuoted) {
      List<String> expected = Arrays.stream(singleQuoted).map(SocketHarness::json).toList();
      eventually().untilAsserted(() -> assertThat(frames()).containsExactlyElementsOf(expected));
    }

    /**
     * A heartbeat round trip: every frame the socket handled before it has been dealt with. The heartbeat and
     * its reply are removed from view by returning the frames before the reply.
     */
    List<String> framesAfterSync() {
      String ref = "sync" + SYNC_REFS.incrementAndGet();
      send("[null,'" + ref + "','phoenix','heartbeat',{}]");
      String reply = json("[null,'" + ref + "','phoenix','phx_reply',{'status':'ok','response':{}}]");
      eventually().until(() -> frames().contains(reply));
      return frames().stream().filter(f -> !f.equals(reply)).toList();
    }
  }
}
