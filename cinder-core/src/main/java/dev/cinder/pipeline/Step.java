package dev.cinder.pipeline;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;

/**
 * One step of a {@link Pipeline}: looks at an incoming event and lets it go on, possibly with a changed
 * payload ({@link StepResult#next}), or stops it ({@link StepResult#fail}, {@link StepResult#halt}). Steps run
 * inside {@code handleIn}, on the channel's thread, so they may block and need no synchronisation of their own.
 */
@FunctionalInterface
public interface Step {
  StepResult apply(String event, Payload payload, ChannelContext ctx);
}
