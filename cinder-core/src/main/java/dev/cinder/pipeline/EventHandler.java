package dev.cinder.pipeline;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.Reply;

/** Handles one incoming event, with the shape of {@link dev.cinder.Channel#handleIn}: the end of a {@link Pipeline}. */
@FunctionalInterface
public interface EventHandler {
  Reply handle(String event, Payload payload, ChannelContext ctx);
}
