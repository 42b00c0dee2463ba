package dev.cinder.example.chat;

import static dev.cinder.example.chat.MessagesContractTest.WAIT;
import static dev.cinder.example.chat.MessagesContractTest.join;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.PhoenixJsExtension;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code process_data}: accepted at once, worked off the channel, the result broadcast to the room. */
class ProcessDataContractTest {
  @RegisterExtension
  static final ChatServer server = ChatServer.perClass();
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();




  private static String sha256(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void theChannelKeepsAnsweringWhileTheWorkRunsThenTheRoomGetsTheResult() throws Exception {
    JsChannel worker = join(js.get(), server, "worker", "room:jobs");
    JsChannel watcher = join(js.get(), server, "watcher", "room:jobs");
    long start = System.nanoTime();
    JsReply accepted = worker.push("process_data", Map.of("data", "hello wörld", "delay_ms", 3000));
    assertThat(accepted.status()).isEqualTo("ok");
    assertThat(accepted.response().get("accepted").booleanValue()).isTrue();

    // Answered while the work runs: the socket delivers in order, so the reply came before any result.
    JsReply pong = worker.push("ping", Map.of("n", 1));
    assertThat(pong.response().get("n").intValue()).isEqualTo(1);
    worker.assertNoMessage("result", Duration.ZERO);

    JsMessage result = watcher.awaitMessage("result", WAIT);
    long resultMs = (System.nanoTime() - start) / 1_000_000;
    assertThat(resultMs).as("the work took its delay_ms").isGreaterThanOrEqualTo(3000);
    assertThat(result.payload().get("user_id").stringValue()).isEqualTo("worker");
    assertThat(result.payload().get("result").stringValue()).isEqualTo(sha256("hello wörld"));
    assertThat(result.payload().propertyNames()).containsExactlyInAnyOrder("user_id", "result");
    assertThat(worker.awaitMessage("result", WAIT).payload().get("result").stringValue()).isEqualTo(sha256("hello wörld"));
  }

  @Test
  void aZeroDelayStillRepliesBeforeTheResult() throws Exception {
    JsChannel quick = join(js.get(), server, "quick", "room:jobs-fast");
    assertThat(quick.push("process_data", Map.of("data", "", "delay_ms", 0)).isOk()).isTrue();
    assertThat(quick.awaitMessage("result", WAIT).payload().get("result").stringValue()).isEqualTo(sha256(""));
    List<String> events = quick.messages().stream().map(JsMessage::event).toList();
    assertThat(events.lastIndexOf("phx_reply")).isLessThan(events.indexOf("result"));
  }

  @Test
  void badInputIsAnErrorReplyAndTheChannelStaysJoined() throws Exception {
    JsChannel picky = join(js.get(), server, "picky", "room:jobs-bad");
    List<Map<String, Object>> bad = List.of(
        Map.of("data", "x", "delay_ms", 5001),
        Map.of("data", "x", "delay_ms", -1),
        Map.of("data", "x", "delay_ms", "100"),
        Map.of("data", "x", "delay_ms", 1.5),
        Map.of("data", "x"),
        Map.of("delay_ms", 10),
        Map.of("data", 12, "delay_ms", 10));
    for (Map<String, Object> payload : bad) {
      JsReply reply = picky.push("process_data", payload);
      assertThat(reply.status()).as(payload.toString()).isEqualTo("error");
      assertThat(reply.response().get("reason").stringValue()).as(payload.toString()).containsAnyOf("delay_ms", "data");
    }
    assertThat(picky.state()).isEqualTo("joined");
    // Every push was refused, so no job was started; the one result is this valid job's.
    assertThat(picky.push("process_data", Map.of("data", "ok", "delay_ms", 0)).isOk()).isTrue();
    assertThat(picky.awaitMessage("result", WAIT).payload().get("result").stringValue()).isEqualTo(sha256("ok"));
    assertThat(picky.messages().stream().filter(m -> m.event().equals("result"))).hasSize(1);
  }

  @Test
  void aChannelRunsAtMostFourJobsAtOnce() throws Exception {
    JsChannel busy = join(js.get(), server, "busy", "room:jobs-busy");
    for (int i = 0; i < 4; i++) {
      assertThat(busy.push("process_data", Map.of("data", "d" + i, "delay_ms", 800)).isOk()).isTrue();
    }
    JsReply refused = busy.push("process_data", Map.of("data", "d5", "delay_ms", 800));
    assertThat(refused.status()).isEqualTo("error");
    assertThat(refused.response().get("reason").stringValue()).isEqualTo("too_many_jobs");
    for (int i = 0; i < 4; i++) {
      busy.awaitMessage("result", WAIT);
    }
    assertThat(busy.push("process_data", Map.of("data", "again", "delay_ms", 0)).isOk()).isTrue();
  }

  /** 17 rooms x 4 jobs would be every slot of the server; a user gets its share, and the others still get theirs. */
  @Test
  void oneUserCannotTakeEveryJobSlot() throws Exception {
    dev.cinder.testkit.JsSocket hog = js.get().connect(server.socketUrl(), Map.of("token", server.token("hog")));
    int accepted = 0;
    int refused = 0;
    for (int room = 0; room < 17; room++) {
      JsChannel channel = hog.channel("room:hog-" + room);
      assertThat(channel.join().status()).isEqualTo("ok");
      for (int job = 0; job < 4; job++) {
        JsReply reply = channel.push("process_data", Map.of("data", "x", "delay_ms", 5000));
        if (reply.isOk()) {
          accepted++;
        } else {
          assertThat(reply.response().get("reason").stringValue()).isEqualTo("too_many_jobs");
          refused++;
        }
      }
    }
    assertThat(accepted).as("one user's share").isEqualTo(ChatApp.MAX_JOBS_PER_USER);
    assertThat(refused).isEqualTo(17 * 4 - ChatApp.MAX_JOBS_PER_USER);
    JsChannel other = join(js.get(), server, "not-the-hog", "room:hog-0");
    JsReply reply = other.push("process_data", Map.of("data", "mine", "delay_ms", 0));
    assertThat(reply.status()).as("everyone else still gets a slot").isEqualTo("ok");
    assertThat(other.awaitMessage(m -> m.event().equals("result")
        && m.payload().get("user_id").stringValue().equals("not-the-hog"), WAIT).payload().get("result").stringValue())
        .isEqualTo(sha256("mine"));
  }
}
