package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.telemetry.TelemetryListener;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Inbound work is bounded: a socket sending faster than its rate limit is closed with 1008 while its neighbours
 * are served, and a channel whose handleIn is stuck refuses pushes past its queue bound with "overloaded".
 */
class InboundLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  /** Records the kinds of transport errors an endpoint reports. */
  private static List<String> transportErrors(TestServer server) {
    List<String> kinds = new CopyOnWriteArrayList<>();
    server.endpoint.telemetry().addListener(new TelemetryListener() {
      @Override
      public void transportError(String transport, String kind) {
        kinds.add(kind);
      }
    });
    return kinds;
  }

  private static String q(String singleQuoted) {
    return singleQuoted.replace('\'', '"');
  }

  private static void join(RawWebSocket ws, String topic) throws InterruptedException {
    ws.sendText(q("['1','1','" + topic + "','phx_join',{}]"));
    assertThat(ws.nextText(WAIT)).isEqualTo(q("['1','1','" + topic + "','phx_reply',{'status':'ok','response':{}}]"));
  }

  private static String heartbeat(String ref) {
    return q("[null,'" + ref + "','phoenix','heartbeat',{}]");
  }

  private static String heartbeatReply(String ref) {
    return q("[null,'" + ref + "','phoenix','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void aHeartbeatFloodIsClosedWithPolicyViolationWhileANeighbourIsServed() throws Exception {
    try (TestServer server = new TestServer(SocketOptions.defaults());
        RawWebSocket neighbour = RawWebSocket.connect(server.wsUrl("user=neighbour&vsn=2.0.0"));
        RawWebSocket flooder = RawWebSocket.connect(server.wsUrl("user=flooder&vsn=2.0.0"))) {
      List<String> errors = transportErrors(server);
      join(neighbour, "test:room");

      int sent = 0;
      try {
        while (sent < 50_000 && !flooder.isClosed()) {
          flooder.sendText(heartbeat("h" + sent++));
        }
      } catch (CompletionException e) {
        // the server closed the connection while we were still sending: that is the point
      }

      assertThat(flooder.awaitClose(WAIT)).isEqualTo(1008);
      // The whole burst was answered, in order, before the close; then nothing more.
      int replies = flooder.receivedCount();
      assertThat(replies).isGreaterThanOrEqualTo(500).isLessThan(sent);
      for (int i = 0; i < replies; i++) {
        assertThat(flooder.nextText(WAIT)).isEqualTo(heartbeatReply("h" + i));
      }
      await().atMost(WAIT).until(() -> server.endpoint.telemetry().sockets() == 1);
      assertThat(errors).containsOnlyOnce("inbound_rate");

      server.endpoint.broadcast("test:room", "news", Map.of("n", 1));
      assertThat(neighbour.nextText(WAIT)).isEqualTo(q("[null,null,'test:room','news',{'n':1}]"));
      neighbour.sendText(heartbeat("n1"));
      assertThat(neighbour.nextText(WAIT)).isEqualTo(heartbeatReply("n1"));
    }
  }

  @Test
  void pushesPastTheChannelQueueBoundAreAnsweredOverloadedAndTheQueuedOnesRunInOrderLater() throws Exception {
    // The default queue bound; a burst large enough for 1,100 pushes sent at once.
    SocketOptions options = SocketOptions.defaults().inboundBurst(2_000);
    assertThat(options.maxPendingPushes()).isEqualTo(1_000);
    try (TestServer server = new TestServer(options);
        RawWebSocket ws = RawWebSocket.connect(server.wsUrl("user=pusher&vsn=2.0.0"))) {
      join(ws, "test:queue");
      ws.sendText(q("['1','block','test:queue','block',{}]"));
      assertThat(server.socket.blocking.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();

      // The stuck "block" is one of the 1,000 messages the channel holds; 999 more fit, the rest are refused.
      int pushes = 1_100;
      for (int n = 1; n <= pushes; n++) {
        ws.sendText(q("['1','r" + n + "','test:queue','record',{'n':" + n + "}]"));
      }
      // Answered while handleIn is still stuck: the refusals were never queued behind it.
      for (int n = 1_000; n <= pushes; n++) {
        assertThat(ws.nextText(WAIT))
            .isEqualTo(q("['1','r" + n + "','test:queue','phx_reply',{'status':'error','response':{'reason':'overloaded'}}]"));
      }
      assertThat(server.socket.recorded).isEmpty();

      server.socket.unblock.countDown();
      assertThat(ws.nextText(WAIT)).isEqualTo(q("['1','block','test:queue','phx_reply',{'status':'ok','response':{}}]"));
      for (int n = 1; n < 1_000; n++) {
        assertThat(ws.nextText(WAIT)).isEqualTo(q("['1','r" + n + "','test:queue','phx_reply',{'status':'ok','response':{'n':" + n + "}}]"));
      }
      // The queue is free again: the next push is handled, after all the queued ones.
      ws.sendText(q("['1','fence','test:queue','record',{'n':0}]"));
      assertThat(ws.nextText(WAIT)).isEqualTo(q("['1','fence','test:queue','phx_reply',{'status':'ok','response':{'n':0}}]"));
      List<Integer> expected = new java.util.ArrayList<>(IntStream.range(1, 1_000).boxed().toList());
      expected.add(0);
      assertThat(server.socket.recorded).containsExactlyElementsOf(expected);
      assertThat(server.endpoint.telemetry().rateLimitedEvents()).isEqualTo(pushes - 999);
    }
  }

  @Test
  void theOfficialClientRejoiningAHundredChannelsAfterAReconnectStaysWithinTheLimit() {
    try (TestServer server = new TestServer(SocketOptions.defaults())) {
      List<String> errors = transportErrors(server);
      JsSocket socket = js.connect(server.socketUrl(), Map.of("user", "many"));
      List<JsChannel> rooms = IntStream.range(0, 100).mapToObj(i -> socket.channel("test:room" + i)).toList();
      rooms.forEach(room -> assertThat(room.join().status()).isEqualTo("ok"));

      server.endpoint.broadcast("test_socket:many", "disconnect", Map.of());
      assertThat(socket.awaitClose(WAIT)).isEqualTo(1001);
      socket.awaitOpen(WAIT); // the client reconnects and rejoins all 100 channels at once, with its heartbeat
      await().atMost(WAIT).until(() -> {
        var channels = socket.state().path("channels");
        return IntStream.range(0, 100).allMatch(i -> "joined".equals(channels.path("test:room" + i).path("state").asString()));
      });
      // A round trip after the rejoins on the same connection: had they tripped the limit, it would be closed.
      assertThat(rooms.get(99).push("echo", Map.of("after", "rejoin")).status()).isEqualTo("ok");
      assertThat(errors).doesNotContain("inbound_rate");
      assertThat(socket.events().stream().filter(e -> "close".equals(e.path("type").asString()))).hasSize(1);
    }
  }
}
