package dev.cinder.guide;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Page 07: ReportChannel answers at once, keeps answering, pushes the result, and refuses a third job. */
class GuideOffloadTest extends GuideServerTest {
  @Test
  void theJobIsAcceptedAtOnceAndItsResultPushedLater() {
    JsChannel reports = joined("alice", "reports:words");
    JsReply accepted = reports.push("build", Map.of("text", "one two three four"));
    assertThat(accepted.status()).isEqualTo("ok");
    assertThat(accepted.response().get("accepted").booleanValue()).isTrue();
    assertThat(reports.push("ping", Map.of()).status()).isEqualTo("ok");
    assertThat(reports.awaitMessage("report_ready", WAIT).payload().get("words").intValue()).isEqualTo(4);
  }

  @Test
  void aChannelRunsAtMostTwoJobsAtOnce() {
    JsChannel reports = joined("bob", "reports:busy");
    assertThat(reports.push("build", Map.of("text", "a")).status()).isEqualTo("ok");
    assertThat(reports.push("build", Map.of("text", "b")).status()).isEqualTo("ok");
    JsReply third = reports.push("build", Map.of("text", "c"));
    assertThat(third.status()).isEqualTo("error");
    assertThat(third.response().get("admission").stringValue()).isEqualTo("CHANNEL_BUSY");
    reports.awaitMessage("report_ready", WAIT);
    reports.awaitMessage("report_ready", WAIT);
  }
}
