package dev.cinder.pipeline;

import dev.cinder.Payload;
import dev.cinder.Reply;
import java.util.Objects;

/** What a {@link Step} decided: go on, fail (reported by the pipeline's {@link ErrorReport}), or halt with a reply. */
public sealed interface StepResult {
  /** Go on to the next step with this payload (the same one, or a changed copy). */
  record Next(Payload payload) implements StepResult {
    public Next {
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** Stop; the client is told {@code error} the way the pipeline reports errors (by default a push of {@code "error"}). */
  record Fail(Object error) implements StepResult {
    public Fail {
      Objects.requireNonNull(error, "error");
    }
  }

  /** Stop; {@code handleIn} returns this reply as it is ({@link Reply#none()} to answer nothing). */
  record Halt(Reply reply) implements StepResult {
    public Halt {
      Objects.requireNonNull(reply, "reply");
    }
  }

  static StepResult next(Payload payload) {
    return new Next(payload);
  }

  static StepResult fail(Object error) {
    return new Fail(error);
  }

  static StepResult halt(Reply reply) {
    return new Halt(reply);
  }
}
