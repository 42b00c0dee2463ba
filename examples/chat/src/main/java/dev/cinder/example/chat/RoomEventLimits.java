package dev.cinder.example.chat;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.ratelimit.EventRateLimit;
import dev.cinder.ratelimit.RateKey;
import dev.cinder.ratelimit.RateLimiter;
import java.util.Map;

/**
 * Budgets per user per room for the room events that reach every listener without being stored: {@code typing}
 * and {@code update_status} ({@code new_msg} has its own, in {@link NewMessages}). The defaults are far above
 * what people do, so only a runaway or hostile client meets them; a refusal counts in the rate-limited metric.
 *
 * <p>Over its budget, a {@code typing} is dropped without an answer: a valid one gets no answer either, it is a
 * hint the next one replaces, and listeners' indicators fade by themselves. An {@code update_status} is answered
 * with the error reply {@link #STATUS_RATE_LIMITED}, as its other refusals are, and the status stays.
 */
public final class RoomEventLimits {
  static final Map<String, String> STATUS_RATE_LIMITED =
      Map.of("reason", "rate_limited", "message", "Too many status updates. Please slow down.");

  private final EventRateLimit typing;
  private final EventRateLimit status;

  public RoomEventLimits(ChatConfig.RateLimitSetting typing, ChatConfig.RateLimitSetting status) {
    this.typing = limit(typing);
    this.status = limit(status);
  }

  private static EventRateLimit limit(ChatConfig.RateLimitSetting setting) {
    RateLimiter<Object> limiter = RateLimiter.builder().limit(setting.count()).window(setting.window()).build();
    return new EventRateLimit(limiter, RateKey.assignAndTopic("user_id"));
  }

  /** Counts a {@code typing} of this user in this room; false when over its budget. */
  boolean allowTyping(String event, Payload payload, ChannelContext ctx) {
    return typing.check(event, payload, ctx).allowed();
  }

  /** Counts an {@code update_status} of this user in this room; false when over its budget. */
  boolean allowStatus(String event, Payload payload, ChannelContext ctx) {
    return status.check(event, payload, ctx).allowed();
  }
}
