package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Payload;
import dev.cinder.pipeline.StepResult;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StripHtmlTest {
  // The step never looks at the channel: no context needed.
  private static StepResult run(StripHtml step, Payload payload) {
    return step.apply("new_msg", payload, null);
  }

  @Test
  void rewritesOnlyTheNamedStringFields() {
    StripHtml step = new StripHtml("body", "title");
    StepResult result = run(step, Payload.of(Map.of("body", "<b>hi</b>", "title", "plain", "raw", "<i>kept</i>", "n", 3)));
    assertThat(result).isEqualTo(StepResult.next(
        Payload.of(Map.of("body", "hi", "title", "plain", "raw", "<i>kept</i>", "n", 3))));
    Payload unchanged = Payload.of(Map.of("n", 1));
    assertThat(run(step, unchanged)).isEqualTo(StepResult.next(unchanged));
  }

  @Test
  void passesBinaryPayloadsOn() {
    Payload binary = Payload.binary("<b>x</b>".getBytes(StandardCharsets.UTF_8));
    assertThat(run(new StripHtml("body"), binary)).isEqualTo(StepResult.next(binary));
  }
}
