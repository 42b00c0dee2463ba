package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.PhoenixJsExtension;
import dev.cinder.testkit.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What a node guarantees while its subscription to a topic is on its way to Redis: a client told "ok" to a join
 * misses no broadcast that another node sends afterwards; joins are still answered when Redis is away or never
 * confirms; and long-poll forwarding, which goes to one node on the channels each node subscribes at start, works
 * at once both ways. Two endpoints over one real redis-server with the per-topic channel
 * mapping; node a reaches Redis through a proxy that can slow what a sends, or cut it off.
 */
class ClusterSubscriptionTest {
  private static final Duration WAIT = Duration.ofSeconds(15);
  /** ClusterNode a's command timeout: how long a join waits for a SUBSCRIBE that Redis does not confirm. */
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(2);
  private static RedisServer redis;
  private static SwitchingProxy link;
  private static ClusterNode a;
  private static ClusterNode b;
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  private static final SocketOptions OPTIONS = SocketOptions.defaults().longPoll(true)
      .longPollWindow(Duration.ofSeconds(1));

  private static ClusterNode startNode(String redisUrl, String name) {
    return ClusterNode.start(RedisPubSubOptions.of(redisUrl, name).channelPrefix("joins").commandTimeout(COMMAND_TIMEOUT)
        .reconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500)), OPTIONS);
  }

  @BeforeAll
  static void start() throws IOException {
    redis = RedisServer.launch();
    link = new SwitchingProxy(redis.port());
    a = startNode("redis://127.0.0.1:" + link.port(), "join-a");
    b = startNode(redis.url(), "join-b");
  }

  @AfterAll
  static void stop() throws IOException {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (link != null) {
      link.close();
    }
    redis.close();
  }

  @AfterEach
  void healTheLink() {
    link.delayUpstream(Duration.ZERO);
    link.release();
    await().atMost(WAIT).until(() -> a.adapter().connected());
  }

  private static JsChannel channelOnA(String user, String topic) {
    JsSocket socket = js.connect(a.server.socketUrl(), JsSocketOptions.create().params(Map.of("user", user)));
    return socket.channel(topic);
  }

  @Test
  void aBroadcastFromAnotherNodeRightAfterTheJoinReplyReachesTheClient() {
    String topic = "test:slow-link";
    JsChannel room = channelOnA("ann", topic);
    // ClusterNode a's SUBSCRIBE for the topic reaches Redis 700 ms after the join subscribed it locally.
    link.delayUpstream(Duration.ofMillis(700));

    assertThat(room.join().isOk()).isTrue();
    b.server.endpoint.broadcast(topic, "msg", Map.of("n", 1)); // the moment the client knows it joined

    assertThat(room.awaitMessage("msg", WAIT).payload().get("n").intValue()).isEqualTo(1);
    assertThat(a.adapter().listening(topic)).isTrue();
  }

  @Test
  void aSecondJoinOfATopicTheNodeAlreadyHearsIsAnsweredAndGetsBroadcasts() {
    String topic = "test:heard";
    JsChannel first = channelOnA("bob", topic);
    assertThat(first.join().isOk()).isTrue();
    await().atMost(WAIT).until(() -> a.adapter().listening(topic));
    link.delayUpstream(Duration.ofMillis(700)); // a second join sends no SUBSCRIBE: nothing to wait for

    JsChannel second = channelOnA("cat", topic);
    assertThat(second.join().isOk()).isTrue();
    b.server.endpoint.broadcast(topic, "msg", Map.of("n", 2));

    assertThat(second.awaitMessage("msg", WAIT).payload().get("n").intValue()).isEqualTo(2);
    assertThat(first.awaitMessage("msg", WAIT).payload().get("n").intValue()).isEqualTo(2);
  }

  @Test
  void whileRedisIsAwayAJoinIsAnsweredAndHearsTheOtherNodesOnceRedisIsBack() {
    String topic = "test:redis-away";
    JsChannel room = channelOnA("dan", topic);
    link.hold();
    link.drop(); // node a loses both connections to Redis and cannot reconnect until released
    await().atMost(WAIT).until(() -> !a.adapter().connected());

    assertThat(room.join().isOk()).isTrue(); // nothing to wait for: no other node's broadcast crosses now

    link.release();
    await().atMost(WAIT).until(() -> a.adapter().listening(topic)); // resubscribed after the reconnect
    b.server.endpoint.broadcast(topic, "msg", Map.of("n", 3));
    assertThat(room.awaitMessage("msg", WAIT).payload().get("n").intValue()).isEqualTo(3);
  }

  @Test
  void aSubscribeRedisNeverConfirmsInTimeDoesNotHoldTheJoinForEver() {
    String topic = "test:unconfirmed";
    JsChannel room = channelOnA("eve", topic);
    // Longer than node a's command timeout: the join is answered at that deadline, not when Redis confirms.
    link.delayUpstream(COMMAND_TIMEOUT.multipliedBy(2));

    assertThat(room.join(Map.of(), WAIT).isOk()).isTrue();

    link.delayUpstream(Duration.ZERO);
    await().atMost(WAIT).until(() -> a.adapter().listening(topic)); // confirmed late, or subscribed again
    b.server.endpoint.broadcast(topic, "msg", Map.of("n", 4));
    assertThat(room.awaitMessage("msg", WAIT).payload().get("n").intValue()).isEqualTo(4);
  }

  private static String openLongPoll(ClusterNode node, String user) {
    LongPollHttp.Answer opened = node.http.open(user);
    assertThat(opened.status()).isEqualTo(410);
    return opened.body().get("token").stringValue();
  }

  private static String joinFrame(String topic) {
    return "[\"1\",\"1\",\"" + topic + "\",\"phx_join\",{}]";
  }

  @Test
  void aLongPollSessionIsReachableFromAnotherNodeOnceItsClientHasTheToken() {
    link.delayUpstream(Duration.ofMillis(700)); // whatever node a sends to Redis is slow to arrive
    String token = openLongPoll(a, "fay");

    // The client's next request lands on node b, which forwards it to the session's topic on a.
    LongPollHttp.Answer joined = b.http.post(token, joinFrame("test:lp-slow"));

    assertThat(joined.status()).isEqualTo(200);
  }

  @Test
  void aRequestForwardedFromANodeWithASlowLinkGetsItsAnswer() {
    String token = openLongPoll(b, "gus");
    link.delayUpstream(Duration.ofMillis(500)); // node a's request, and its SUBSCRIBE to its reply topic, are slow

    LongPollHttp.Answer joined = a.http.post(token, joinFrame("test:lp-forwarded"));

    assertThat(joined.status()).isEqualTo(200);
  }
}
