package dev.cinder.ratelimit;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import java.util.List;
import java.util.Objects;

/** Which bucket an incoming channel event counts against: the key given to the {@link RateLimiter}. */
@FunctionalInterface
public interface RateKey {
  /** The key for this event; it must have value-based equality (a String, a List, a record). */
  Object of(String event, Payload payload, ChannelContext ctx);

  /**
   * Per socket id ({@code SocketHandler.id}, e.g. {@code user_socket:alice}): every connection and channel of
   * that id shares one budget. Sockets without an id are limited per channel.
   */
  static RateKey socketId() {
    return (event, payload, ctx) -> ctx.socketId() != null ? ctx.socketId() : ctx;
  }

  /** Per value of a channel assign (e.g. {@code "user_id"}), across all topics. */
  static RateKey assign(String name) {
    Objects.requireNonNull(name, "name");
    return (event, payload, ctx) -> List.of("assign", name, String.valueOf(ctx.assigns().<Object>get(name)));
  }

  /** Per value of a channel assign and topic, e.g. per user per room: {@code RateKey.assignAndTopic("user_id")}. */
  static RateKey assignAndTopic(String name) {
    Objects.requireNonNull(name, "name");
    return (event, payload, ctx) -> List.of(String.valueOf(ctx.assigns().<Object>get(name)), ctx.topic());
  }
}
