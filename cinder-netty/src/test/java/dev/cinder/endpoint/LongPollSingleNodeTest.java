package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import dev.cinder.internal.token.Etf;
import dev.cinder.pubsub.LocalPubSub;
import dev.cinder.token.PhoenixToken;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With a local PubSub there is no other node: nothing is forwarded and nothing listens for forwards, so a
 * token naming another node (say, this node before a restart) is simply gone, at once.
 */
class LongPollSingleNodeTest {
  private static TestServer server;
  private static LongPollHttp http;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().longPoll(true).longPollWindow(Duration.ofSeconds(1)));
    http = new LongPollHttp(server.endpoint.port());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void aTokenNamingAnotherNodeIsGoneWithoutWaiting() {
    String elsewhere = PhoenixToken.forSecret("a".repeat(64)).sign("cinder long-poll session",
        Etf.Tuple.of(new Etf.Atom("v1"), "some-other-node", "an-id"), Duration.ofDays(1));
    // One node has nobody to ask: gone at once (a forwarded request would be gone too, 2 s later).
    assertThat(http.get("vsn=2.0.0&token=" + elsewhere).status()).isEqualTo(410);
    assertThat(http.post(elsewhere, "[\"1\",\"1\",\"test:x\",\"phx_join\",{}]").status()).isEqualTo(410);
    assertThat(server.endpoint.longPollForwardedCount()).isZero();
  }

  @Test
  void sessionsSubscribeToNoPrivateTopic() {
    String token = http.get("user=single&vsn=2.0.0").body().get("token").stringValue();
    assertThat(http.post(token, "[\"1\",\"1\",\"test:single\",\"phx_join\",{}]").status()).isEqualTo(200);
    LocalPubSub pubSub = (LocalPubSub) server.endpoint.pubSub();
    assertThat(pubSub.topics()).contains("test:single").noneMatch(topic -> topic.startsWith("phx:lp:"));
  }
}
