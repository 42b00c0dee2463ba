package dev.cinder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Payload;
import dev.cinder.support.RecordingContext;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class StepsTest {
  private final RecordingContext ctx = RecordingContext.of("room:lobby", "alice");

  private static StepResult run(Step step, Object payload, RecordingContext ctx) {
    return step.apply("new_msg", Payload.of(payload), ctx);
  }

  @Test
  void requireFieldsNamesEveryMissingOrBlankField() {
    Step step = Steps.requireFields("body", "title", "n");
    Map<String, Object> payload = new HashMap<>();
    payload.put("body", "  \n ");
    payload.put("n", null);
    assertThat(run(step, payload, ctx))
        .isEqualTo(StepResult.fail(Map.of("reason", "Missing required fields: body, title, n")));
    assertThat(run(step, Map.of("body", "x", "title", "t", "n", 0), ctx)).isInstanceOf(StepResult.Next.class);
    assertThat(step.apply("e", Payload.binary(new byte[] {1}), ctx)).isInstanceOf(StepResult.Fail.class);
    assertThat(step.apply("e", Payload.parse("[1,2]"), ctx)).isInstanceOf(StepResult.Fail.class);
    assertThatThrownBy(Steps::requireFields).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requireTextWantsStringsWithText() {
    Step step = Steps.requireText("body");
    assertThat(run(step, Map.of("body", "hi"), ctx)).isInstanceOf(StepResult.Next.class);
    for (Object bad : new Object[] {42, true, Map.of("x", 1), "", " \t"}) {
      assertThat(run(step, Map.of("body", bad), ctx)).as(String.valueOf(bad))
          .isEqualTo(StepResult.fail(Map.of("reason", "Missing required fields: body")));
    }
    assertThat(run(step, Map.of(), ctx)).isInstanceOf(StepResult.Fail.class);
  }

  @Test
  void maxLengthCountsCharactersNotUtf16Units() {
    Step step = Steps.maxLength("body", 4, "body_too_long");
    assertThat(run(step, Map.of("body", "abcd"), ctx)).isInstanceOf(StepResult.Next.class);
    assertThat(run(step, Map.of("body", "abcde"), ctx)).isEqualTo(StepResult.fail(Map.of("reason", "body_too_long")));
    assertThat(run(step, Map.of("body", "👋👋👋👋"), ctx)).isInstanceOf(StepResult.Next.class);
    assertThat(run(step, Map.of("other", "abcdefg"), ctx)).isInstanceOf(StepResult.Next.class);
  }

  @Test
  void logPassesThePayloadOnUnchanged() {
    Payload payload = Payload.of(Map.of("body", "x".repeat(500)));
    assertThat(Steps.log(LoggerFactory.getLogger("test")).apply("e", payload, ctx)).isEqualTo(StepResult.next(payload));
  }
}
