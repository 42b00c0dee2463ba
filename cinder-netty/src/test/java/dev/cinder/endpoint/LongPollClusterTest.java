package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.endpoint.LongPollHttp.Answer;
import dev.cinder.internal.token.Etf;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.JsSocketOptions;
import dev.cinder.testkit.JsTransport;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.RedisServer;
import dev.cinder.token.PhoenixToken;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Long-poll sessions across nodes without sticky sessions: three endpoints, each with its own cluster
 * PubSub over one real redis-server, the same secret, and requests that land on any of them.
 */
class LongPollClusterTest {
  private static final String SECRET = "a".repeat(64); // TestServer's
  private static final Duration WAIT = Duration.ofSeconds(8);
  private static final SocketOptions OPTIONS = SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofSeconds(1));
  private static RedisServer redis;
  private static ClusterNode a;
  private static ClusterNode b;
  private static ClusterNode c;

  private static ClusterNode startNode(String name) {
    return ClusterNode.start(RedisPubSubOptions.of(redis.url(), name).channelPrefix("lpcluster"), OPTIONS);
  }

  /** Whether other nodes' broadcasts on the topic reach the node's subscribers, if it has any. */
  private static boolean subscribedOrIdle(ClusterNode node, String topic) {
    return node.pubSub.subscriberCount(topic) == 0 || node.listening(topic);
  }

  @BeforeAll
  static void start() {
    redis = RedisServer.launch();
    a = startNode("lp-a");
    b = startNode("lp-b");
    c = startNode("lp-c");
  }

  @AfterAll
  static void stop() {
    for (ClusterNode node : new ClusterNode[] {a, b, c}) {
      if (node != null) {
        node.close();
      }
    }
    if (redis != null) {
      redis.close();
    }
  }

  private static String open(ClusterNode node, String user) {
    Answer opened = node.http.get("user=" + user + "&vsn=2.0.0");
    assertThat(opened.status()).isEqualTo(410);
    return opened.body().get("token").stringValue();
  }

  private static String poll(String token) {
    return "vsn=2.0.0&token=" + token;
  }

  private static String join(String topic) {
    return "[\"1\",\"1\",\"" + topic + "\",\"phx_join\",{}]";
  }

  private static List<String> messages(Answer answer) {
    assertThat(answer.status()).isEqualTo(200);
    List<String> texts = new ArrayList<>();
    answer.body().get("messages").forEach(m -> texts.add(m.stringValue()));
    return texts;
  }

  private static void noneForwardedPending() {
    for (ClusterNode node : new ClusterNode[] {a, b, c}) {
      await().atMost(WAIT).until(() -> node.server.endpoint.longPollForwardedCount() == 0);
    }
  }

  @Test
  void aSessionOpenedOnOneNodeIsServedByTheOthers() throws Exception {
    String token = open(a, "cl1");
    assertThat(b.http.post(token, join("test:cl1")).status()).isEqualTo(200);
    Answer joined = b.http.get(poll(token));
    assertThat(joined.body().get("token").stringValue()).isEqualTo(token);
    assertThat(messages(joined)).containsExactly("[\"1\",\"1\",\"test:cl1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");

    assertThat(c.http.post(token, "[\"1\",\"2\",\"test:cl1\",\"echo\",{\"x\":\"y\"}]").status()).isEqualTo(200);
    assertThat(messages(b.http.get(poll(token))))
        .containsExactly("[\"1\",\"2\",\"test:cl1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"x\":\"y\"}}]");

    // A poll held on B is answered when a broadcast from A's endpoint reaches the session on A.
    CompletableFuture<Answer> held = b.http.getAsync(poll(token));
    await().atMost(WAIT).until(() -> b.server.endpoint.longPollForwardedCount() == 1); // B asked A for it
    a.server.endpoint.broadcast("test:cl1", "news", Map.of("n", 1));
    assertThat(messages(held.get(5, TimeUnit.SECONDS))).containsExactly("[null,null,\"test:cl1\",\"news\",{\"n\":1}]");

    // A broadcast from B's endpoint crosses to the channel on A, and reaches the client polling on C.
    await().atMost(WAIT).until(() -> a.listening("test:cl1"));
    b.server.endpoint.broadcast("test:cl1", "news", Map.of("n", 2));
    assertThat(messages(c.http.get(poll(token)))).containsExactly("[null,null,\"test:cl1\",\"news\",{\"n\":2}]");

    Answer empty = c.http.get(poll(token)); // nothing within the owner's 1 s window
    assertThat(empty.status()).isEqualTo(204);
    assertThat(empty.body().get("token").stringValue()).isEqualTo(token);
    assertThat(a.server.endpoint.longPollSessionCount()).isPositive();
    noneForwardedPending();
  }

  @Test
  void badBodiesForwardedAreRefusedByTheOwnerAndTheSessionLivesOn() {
    String token = open(a, "clbad");
    Answer malformed = b.http.post(token, "[\"1\",\"1\",\"test:clbad\",\"phx_join\",{");
    assertThat(malformed.httpStatus()).isEqualTo(400);
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(b.http.post(token, join("test:clbad")).status()).isEqualTo(200);
    assertThat(messages(c.http.get(poll(token)))).hasSize(1);
  }

  @Test
  void forgedTokensAreRefusedWithoutAsking() {
    String token = open(a, "victim");
    String forged = token.substring(0, token.length() - 3) + "AAA";
    assertThat(b.http.post(forged, join("test:x")).status()).isEqualTo(410);
    // A refused connect, decided by B alone: a GET B had forwarded would be the victim's poll, or gone (410).
    assertThat(b.http.get("vsn=2.0.0&token=" + forged).status()).isEqualTo(403);
    Answer fresh = b.http.get("user=other&vsn=2.0.0&token=" + forged);
    assertThat(fresh.status()).isEqualTo(410);
    assertThat(fresh.body().get("token").stringValue()).isNotEqualTo(forged);
    noneForwardedPending();
  }

  @Test
  void aTokenNamingANodeThatNeverAnswersIsGoneAfterTwoSeconds() {
    // Genuinely signed, but for a node that is not there: nobody acknowledges.
    String ghost = PhoenixToken.forSecret(SECRET).sign("cinder long-poll session",
        Etf.Tuple.of(new Etf.Atom("v1"), "lp-ghost", "no-such-session"), Duration.ofDays(1));
    long start = System.nanoTime();
    Answer gone = b.http.get(poll(ghost));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.body().get("token").stringValue()).isEqualTo(ghost);
    assertThat(took).as("waited for an acknowledgement").isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
    assertThat(c.http.post(ghost, join("test:x")).status()).isEqualTo(410);
    noneForwardedPending();
  }

  @Test
  void whenTheOwnerNodeStopsAPollElsewhereIsGone() throws Exception {
    ClusterNode d = startNode("lp-d");
    String token;
    CompletableFuture<Answer> held;
    try {
      token = open(d, "clgone");
      assertThat(b.http.post(token, join("test:clgone")).status()).isEqualTo(200);
      assertThat(messages(b.http.get(poll(token)))).hasSize(1);
      held = b.http.getAsync(poll(token));
      await().atMost(WAIT).until(() -> b.server.endpoint.longPollForwardedCount() == 1); // B asked D for it
    } finally {
      d.close();
    }
    assertThat(held.get(5, TimeUnit.SECONDS).status()).isEqualTo(410); // the owner's last word as its sessions end
    assertThat(b.http.get(poll(token)).status()).isEqualTo(410); // then nobody answers at all
    noneForwardedPending();
  }

  @Test
  void aSocketIdDisconnectOnAnotherNodeEndsTheSession() throws Exception {
    String token = open(a, "cldc");
    assertThat(b.http.post(token, join("test:cldc")).status()).isEqualTo(200);
    assertThat(messages(b.http.get(poll(token)))).hasSize(1);
    CompletableFuture<Answer> held = c.http.getAsync(poll(token));
    await().atMost(WAIT).until(() -> a.listening("test_socket:cldc"));
    b.server.endpoint.broadcast("test_socket:cldc", "disconnect", Map.of());
    assertThat(held.get(5, TimeUnit.SECONDS).status()).isEqualTo(410);
    await().atMost(WAIT).until(() -> a.server.socket.terminations.contains("test:cldc:SOCKET_CLOSED"));
    assertThat(b.http.post(token, join("test:cldc")).status()).isEqualTo(410);
  }

  @Test
  void messagesOfAPollWhoseClientHungUpAreKept() throws Exception {
    String token = open(a, "clhang");
    assertThat(b.http.post(token, join("test:clhang")).status()).isEqualTo(200);
    assertThat(messages(b.http.get(poll(token)))).hasSize(1);
    for (int i = 0; i < 3; i++) {
      try (Socket raw = new Socket("127.0.0.1", b.port())) {
        OutputStream out = raw.getOutputStream();
        out.write(("GET /socket/longpoll?" + poll(token) + " HTTP/1.1\r\nhost: b\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        await().atMost(WAIT).until(() -> b.server.endpoint.longPollForwardedCount() == 1); // held on B, forwarded to A
      }
      if (i % 2 == 1) {
        // The cancel reaches A first: the held GET is dropped there and the message waits in the session.
        await().atMost(WAIT).until(() -> b.server.endpoint.longPollForwardedCount() == 0);
      }
      // Else right after the hang-up: A answers B's GET with the message, and B hands it back (a requeue).
      a.server.endpoint.broadcast("test:clhang", "kept", Map.of("i", i));
      assertThat(messages(c.http.get(poll(token)))).containsExactly("[null,null,\"test:clhang\",\"kept\",{\"i\":" + i + "}]");
    }
    noneForwardedPending();
  }

  @Test
  void theOfficialClientBehindABalancerWithoutStickySessions() throws Exception {
    try (PhoenixJs js = PhoenixJs.start();
        RoundRobinBalancer balancer = new RoundRobinBalancer(List.of(a.port(), b.port(), c.port()))) {
      String url = "ws://127.0.0.1:" + balancer.port() + "/socket";
      JsSocket first = js.connect(url, JsSocketOptions.create().params(Map.of("user", "rr1")).transport(JsTransport.LONGPOLL));
      JsSocket second = js.connect(url, JsSocketOptions.create().params(Map.of("user", "rr2")).transport(JsTransport.LONGPOLL));
      JsChannel one = first.channel("test:rr");
      JsChannel two = second.channel("test:rr");
      assertThat(one.join().status()).isEqualTo("ok");
      assertThat(two.join().status()).isEqualTo("ok");
      assertThat(one.push("echo", Map.of("x", "y")).response().get("x").stringValue()).isEqualTo("y");
      await().atMost(WAIT).until(() -> List.of(a, b, c).stream().allMatch(n -> subscribedOrIdle(n, "test:rr")));
      one.push("broadcast", Map.of("event", "news", "payload", Map.of("n", 1)));
      assertThat(two.awaitMessage("news", WAIT).payload().get("n").intValue()).isEqualTo(1);
      // Several empty windows, polled through every node.
      await().atMost(WAIT).until(() -> balancer.served(0) > 2 && balancer.served(1) > 2 && balancer.served(2) > 2);
      assertThat(one.push("echo", Map.of("x", "z")).response().get("x").stringValue()).isEqualTo("z");
      // The echo went out after anything that came before it: a close would be in the log ahead of its reply.
      first.assertNoClose(Duration.ZERO);
      first.disconnect();
      second.disconnect();
      js.assertNoDriverErrors();
    }
    noneForwardedPending();
  }
}
