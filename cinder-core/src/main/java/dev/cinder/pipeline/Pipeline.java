package dev.cinder.pipeline;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Composable checks and rewrites for incoming events, run in order before the handler, like a Netty pipeline:
 * each {@link Step} does one job and passes the (possibly changed) payload on, or stops the event. The order of
 * the steps reads as the order of processing. Immutable and thread-safe: build one per event kind and share it.
 *
 * <pre>{@code
 * static final Pipeline NEW_MSG = Pipeline.builder()
 *     .step(Steps.requireFields("body"))            // else push "error" {"reason":"Missing required fields: body"}
 *     .step(Steps.maxLength("body", 4000, "body_too_long"))
 *     .step(Steps.log(log))
 *     .build();
 *
 * public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
 *   return switch (event) {
 *     case "new_msg" -> NEW_MSG.handle(event, payload, ctx, this::store);
 *     default -> Reply.error(Map.of("reason", "unknown_event"));
 *   };
 * }
 * }</pre>
 */
public final class Pipeline {
  private final List<Step> steps;
  private final ErrorReport errors;

  private Pipeline(List<Step> steps, ErrorReport errors) {
    this.steps = List.copyOf(steps);
    this.errors = errors;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Runs the steps, then {@code handler} with the final payload unless a step stopped the event. */
  public Reply handle(String event, Payload payload, ChannelContext ctx, EventHandler handler) {
    Payload current = payload;
    for (Step step : steps) {
      StepResult result = step.apply(event, current, ctx);
      switch (result) {
        case StepResult.Next next -> current = next.payload();
        case StepResult.Fail fail -> {
          return errors.deliver(fail.error(), ctx);
        }
        case StepResult.Halt halt -> {
          return halt.reply();
        }
        case null -> throw new IllegalStateException("pipeline step " + step + " returned null");
      }
    }
    return handler.handle(event, current, ctx);
  }

  /** This pipeline in front of {@code handler}, as one handler. */
  public EventHandler then(EventHandler handler) {
    Objects.requireNonNull(handler, "handler");
    return (event, payload, ctx) -> handle(event, payload, ctx, handler);
  }

  /**
   * This pipeline as a single step of another one: its result goes on to the next step; a failure is reported by
   * this pipeline's own {@link ErrorReport}, and then the outer pipeline stops with the reply that report gave.
   */
  public Step asStep() {
    return (event, payload, ctx) -> {
      Payload[] out = new Payload[1];
      Reply reply = handle(event, payload, ctx, (e, p, c) -> {
        out[0] = p;
        return Reply.none();
      });
      return out[0] != null ? StepResult.next(out[0]) : StepResult.halt(reply);
    };
  }

  /** Builds a {@link Pipeline}; errors are pushed as {@code "error"} unless {@link #errors} says otherwise. */
  public static final class Builder {
    private final List<Step> steps = new ArrayList<>();
    private ErrorReport errors = ErrorReport.push("error");

    private Builder() {}

    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    public Builder errors(ErrorReport value) {
      this.errors = Objects.requireNonNull(value, "errors");
      return this;
    }

    public Pipeline build() {
      return new Pipeline(steps, errors);
    }
  }
}
