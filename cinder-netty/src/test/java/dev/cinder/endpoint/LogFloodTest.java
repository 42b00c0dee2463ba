package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import dev.cinder.SocketOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Values a client chooses reach the log clipped, and a client repeating a mistake cannot flood the log. */
class LogFloodTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  @Test
  void aThousandJoinsWithMegabyteTopicsLogABoundedAmount() throws Exception {
    String filler = "x".repeat(1_048_000); // the frame stays under the 1 MiB frame limit
    SocketOptions options = SocketOptions.defaults().inboundBurst(2_000); // the rate limit is not under test here
    try (LogLines log = LogLines.capture("dev.cinder", Level.DEBUG)) {
      try (TestServer server = new TestServer(options);
          RawWebSocket attacker = RawWebSocket.connect(server.wsUrl("user=attacker&vsn=2.0.0"));
          RawWebSocket other = RawWebSocket.connect(server.wsUrl("user=other&vsn=2.0.0"))) {
        for (int i = 0; i < 1_000; i++) {
          String topic = "nope:" + i + ":" + filler;
          attacker.sendText("[\"1\",\"" + i + "\",\"" + topic + "\",\"phx_join\",{}]");
          String reply = attacker.nextText(WAIT);
          assertThat(reply.length()).isGreaterThan(filler.length());
          assertThat(reply).startsWith("[null,\"" + i + "\",\"nope:" + i + ":xxx")
              .endsWith("\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"unmatched topic\"}}]");
        }
        other.sendText("[\"1\",\"1\",\"test:fine\",\"phx_join\",{}]");
        assertThat(other.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"test:fine\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
      }
      assertThat(log.lines()).as("log lines: %s", log.samples()).isLessThanOrEqualTo(15);
      assertThat(log.longestLine()).as("longest line; first lines: %s", log.samples()).isLessThanOrEqualTo(400);
      assertThat(log.linesWithStackTrace()).isZero();
    }
  }
}
