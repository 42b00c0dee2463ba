package dev.cinder.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.support.RecordingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private final RecordingContext ctx = RecordingContext.of("room:lobby", "alice");
  private final List<Payload> handled = new ArrayList<>();
  private final EventHandler handler = (event, payload, c) -> {
    handled.add(payload);
    return Reply.ok(Map.of("handled", true));
  };

  @Test
  void stepsRunInOrderAndTheHandlerGetsTheLastPayload() {
    List<String> order = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder()
        .step((e, p, c) -> {
          order.add("first");
          return StepResult.next(p.with("n", 1));
        })
        .step((e, p, c) -> {
          order.add("second saw n=" + p.field("n").intValue());
          return StepResult.next(p.with("n", 2));
        })
        .build();
    Reply reply = pipeline.handle("ev", Payload.empty(), ctx, handler);
    assertThat(order).containsExactly("first", "second saw n=1");
    assertThat(handled).singleElement().isEqualTo(Payload.of(Map.of("n", 2)));
    assertThat(reply.status()).isEqualTo("ok");
  }

  @Test
  void aFailureIsPushedAsErrorByDefaultAndStopsLaterSteps() {
    List<String> later = new ArrayList<>();
    Pipeline pipeline = Pipeline.builder()
        .step(Steps.requireFields("body"))
        .step((e, p, c) -> {
          later.add("ran");
          return StepResult.next(p);
        })
        .build();
    Reply reply = pipeline.handle("new_msg", Payload.of(Map.of("other", 1)), ctx, handler);
    assertThat(reply.isNone()).isTrue();
    assertThat(later).isEmpty();
    assertThat(handled).isEmpty();
    assertThat(ctx.pushes).singleElement().satisfies(p -> {
      assertThat(p.event()).isEqualTo("error");
      assertThat(p.payload()).isEqualTo(Payload.of(Map.of("reason", "Missing required fields: body")));
    });
  }

  @Test
  void errorsCanBeRepliedOrPushedUnderAnotherEvent() {
    Pipeline replying = Pipeline.builder().step(Steps.requireFields("a")).errors(ErrorReport.reply()).build();
    Reply reply = replying.handle("x", Payload.empty(), ctx, handler);
    assertThat(reply.status()).isEqualTo("error");
    assertThat(reply.response().string("reason")).isEqualTo("Missing required fields: a");
    Pipeline pushing = Pipeline.builder().step(Steps.requireFields("a")).errors(ErrorReport.push("oops")).build();
    pushing.handle("x", Payload.empty(), ctx, handler);
    assertThat(ctx.pushes).extracting(RecordingContext.Sent::event).containsExactly("oops");
  }

  @Test
  void haltAnswersItsOwnReply() {
    Pipeline pipeline = Pipeline.builder().step((e, p, c) -> StepResult.halt(Reply.ok(Map.of("cached", true)))).build();
    Reply reply = pipeline.handle("x", Payload.empty(), ctx, handler);
    assertThat(reply.response().field("cached").booleanValue()).isTrue();
    assertThat(handled).isEmpty();
  }

  @Test
  void pipelinesCompose() {
    Step trim = (e, p, c) -> StepResult.next(p.with("body", p.string("body").strip()));
    Pipeline validate = Pipeline.builder().step(Steps.requireFields("body")).step(trim).build();
    EventHandler full = Pipeline.builder().step(validate.asStep()).step(Steps.maxLength("body", 3, "too_long")).build()
        .then(handler);
    full.handle("m", Payload.of(Map.of("body", "  abc  ")), ctx);
    assertThat(handled).singleElement().isEqualTo(Payload.of(Map.of("body", "abc")));
    full.handle("m", Payload.of(Map.of("body", "  abcd  ")), ctx);
    full.handle("m", Payload.empty(), ctx);
    assertThat(handled).hasSize(1);
    assertThat(ctx.pushes).extracting(p -> p.payload().string("reason"))
        .containsExactly("too_long", "Missing required fields: body");
  }

  @Test
  void aStepReturningNullIsAProgrammingErrorWithAClearMessage() {
    Pipeline pipeline = Pipeline.builder().step((e, p, c) -> null).build();
    assertThatThrownBy(() -> pipeline.handle("x", Payload.empty(), ctx, handler))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("returned null");
  }
}
