package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.telemetry.TelemetryListener;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /metrics} in Prometheus text after real traffic: the numbers match what happened. */
class MetricsContractTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass(3, Duration.ofMinutes(1));
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();



  private static String scrape() throws Exception {
    ChatServer.Response response = server.get("/metrics");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.header("content-type")).startsWith("text/plain");
    return response.body();
  }

  /** The value of a sample line, e.g. {@code cinder_sockets} or {@code cinder_channel_join_seconds_count{...}}. */
  private static double value(String text, String name, String... labels) {
    for (String line : text.split("\n")) {
      if (!line.startsWith(name + " ") && !line.startsWith(name + "{")) {
        continue;
      }
      boolean all = true;
      for (String label : labels) {
        all &= line.contains(label);
      }
      if (all) {
        Matcher m = Pattern.compile(" ([0-9.eE+-]+)$").matcher(line);
        if (m.find()) {
          return Double.parseDouble(m.group(1));
        }
      }
    }
    throw new AssertionError("no sample " + name + " " + String.join(",", labels) + " in\n" + text);
  }

  @Test
  void metricsCountSocketsChannelsBroadcastsDeliveriesAndRateLimits() throws Exception {
    JsChannel a = MessagesContractTest.join(js.get(), server, "mona", "room:metrics");
    JsChannel b = MessagesContractTest.join(js.get(), server, "nils", "room:metrics");
    b.awaitMessage(m -> m.event().equals("user_joined"), WAIT);
    // nils joined last: once the diff with his join reached both, no presence diff is still due for the baseline.
    for (JsChannel client : List.of(a, b)) {
      client.awaitMessage(m -> m.event().equals("presence_diff") && m.payload().path("joins").has("nils"), WAIT);
    }

    // Presence's tracker broadcasts its own heartbeats on the PubSub, on a timer: count every broadcast beside the
    // metric, so that one landing between two scrapes is accounted for rather than raced.
    List<String> broadcastTopics = new CopyOnWriteArrayList<>();
    server.app().telemetry().addListener(new TelemetryListener() {
      @Override
      public void broadcast(String topic, String event, int subscribers) {
        broadcastTopics.add(topic);
      }
    });
    String before = scrape();
    assertThat(value(before, "cinder_sockets")).isEqualTo(2);
    assertThat(value(before, "cinder_channels")).isEqualTo(2);
    assertThat(value(before, "cinder_presences")).isEqualTo(2);
    assertThat(value(before, "cinder_channel_join_seconds_count", "route=\"room:*\"", "outcome=\"ok\"")).isEqualTo(2);

    // One admin broadcast to the room: one broadcast, two deliveries. Background work (the tracker's timer, the
    // tail of a join) can still add a count between two scrapes now and then: measure in a window it left alone,
    // trying a few notices; the counts of the last one tried are asserted exactly.
    double broadcasts = 0;
    double deliveries = 0;
    List<String> between = List.of();
    for (int n = 1; n <= 5; n++) {
      before = scrape();
      int broadcastsBefore = broadcastTopics.size();
      ChatServer.Response sent = server.post("/api/broadcast",
          "{\"topic\":\"room:metrics\",\"event\":\"notice\",\"payload\":{\"n\":" + n + "}}", ChatServer.ADMIN);
      assertThat(sent.status()).isEqualTo(202);
      int seq = n;
      a.awaitMessage(m -> m.event().equals("notice") && m.payload().path("n").asInt() == seq, WAIT);
      b.awaitMessage(m -> m.event().equals("notice") && m.payload().path("n").asInt() == seq, WAIT);
      String after = scrape();
      between = List.copyOf(broadcastTopics.subList(broadcastsBefore, broadcastTopics.size()));
      broadcasts = value(after, "cinder_broadcasts_total") - value(before, "cinder_broadcasts_total");
      deliveries = value(after, "cinder_deliveries_total") - value(before, "cinder_deliveries_total");
      if (between.size() == 1 && broadcasts == 1 && deliveries == 2) {
        break;
      }
    }
    assertThat(between).as("broadcasts between the scrapes").containsExactly("room:metrics");
    assertThat(broadcasts).isEqualTo(1);
    assertThat(deliveries).isEqualTo(2);

    // RATE_LIMIT 3 per minute: the fourth new_msg is refused and counted.
    for (int i = 0; i < 4; i++) {
      a.pushNoReply("new_msg", Map.of("body", "m" + i));
    }
    a.awaitMessage(m -> m.event().equals("error") && m.payload().path("reason").stringValue().equals("rate_limited"), WAIT);
    // The error is pushed from inside the fourth handleIn, before its timer is recorded; a ping's reply comes from
    // the channel's next callback, so by then all four are counted.
    assertThat(a.push("ping", Map.of("fence", true)).status()).isEqualTo("ok");
    String limited = scrape();
    assertThat(value(limited, "cinder_rate_limited_total")).isEqualTo(1);
    assertThat(value(limited, "cinder_channel_handle_in_seconds_count", "event=\"new_msg\"")).isEqualTo(4);
  }
}
