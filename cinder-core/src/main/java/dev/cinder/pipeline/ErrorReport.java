package dev.cinder.pipeline;

import dev.cinder.ChannelContext;
import dev.cinder.Reply;
import java.util.Objects;

/**
 * How a pipeline tells the client that a step failed: as a pushed event (the client listens with
 * {@code channel.on("error", ...)}) or as the error reply to the pushed message ({@code receive("error", ...)}).
 */
@FunctionalInterface
public interface ErrorReport {
  /** Delivers {@code error} and returns what {@code handleIn} answers. */
  Reply deliver(Object error, ChannelContext ctx);

  /** Pushes {@code event} with the error as payload, and answers nothing. */
  static ErrorReport push(String event) {
    Objects.requireNonNull(event, "event");
    return (error, ctx) -> {
      ctx.push(event, error);
      return Reply.none();
    };
  }

  /** Answers the message with status error and the error as response. */
  static ErrorReport reply() {
    return (error, ctx) -> Reply.error(error);
  }
}
