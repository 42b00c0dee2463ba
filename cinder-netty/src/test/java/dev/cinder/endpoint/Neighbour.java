package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;

/** A well-behaved client next to a misbehaving one: it must keep getting replies and broadcasts. */
final class Neighbour {
  private static final Duration WAIT = Duration.ofSeconds(5);

  interface Misbehaviour {
    void run() throws Exception;
  }

  private Neighbour() {}

  /** Joins a neighbour, runs {@code bad}, then checks that the neighbour still answers and receives broadcasts. */
  static void assertUnaffectedBy(TestServer server, Misbehaviour bad) throws Exception {
    try (RawWebSocket good = RawWebSocket.connect(server.wsUrl("user=good&vsn=2.0.0"))) {
      good.sendText("[\"1\",\"1\",\"test:room\",\"phx_join\",{}]");
      assertThat(good.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"test:room\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      bad.run();
      good.sendText("[null,\"2\",\"phoenix\",\"heartbeat\",{}]");
      assertThat(good.nextText(WAIT)).isEqualTo("[null,\"2\",\"phoenix\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      server.endpoint.broadcast("test:room", "news", Map.of("n", 1));
      assertThat(good.nextText(WAIT)).isEqualTo("[null,null,\"test:room\",\"news\",{\"n\":1}]");
    }
  }
}
