package dev.cinder.ratelimit;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.pipeline.Step;
import dev.cinder.pipeline.StepResult;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Step} that lets an incoming event through only while its {@link RateKey}'s budget in the
 * {@link RateLimiter} lasts; over it, the event stops with {@link #RATE_LIMITED} (reported the way the
 * pipeline reports errors: pushed as {@code "error"} by default). Share one limiter between all channels that
 * should count against the same budgets.
 *
 * <pre>{@code
 * RateLimiter<Object> perUserPerRoom = RateLimiter.of(10, Duration.ofSeconds(5));
 * Pipeline newMsg = Pipeline.builder()
 *     .step(Steps.requireFields("body"))
 *     .step(new EventRateLimit(perUserPerRoom, RateKey.assignAndTopic("user_id")))
 *     .build();
 * }</pre>
 */
public final class EventRateLimit implements Step {
  /** {@code {"reason":"rate_limited","message":"Too many messages. Please slow down."}} */
  public static final Map<String, String> RATE_LIMITED =
      Map.of("reason", "rate_limited", "message", "Too many messages. Please slow down.");

  private final RateLimiter<Object> limiter;
  private final RateKey key;
  private final Object error;

  public EventRateLimit(RateLimiter<Object> limiter, RateKey key) {
    this(limiter, key, RATE_LIMITED);
  }

  /** With another error payload for refused events. */
  public EventRateLimit(RateLimiter<Object> limiter, RateKey key, Object error) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.key = Objects.requireNonNull(key, "key");
    this.error = Objects.requireNonNull(error, "error");
  }

  /** Counts the event and says whether it may proceed (a refusal is reported to telemetry); also outside a pipeline. */
  public RateLimiter.Decision check(String event, Payload payload, ChannelContext ctx) {
    RateLimiter.Decision decision = limiter.tryAcquire(Objects.requireNonNull(key.of(event, payload, ctx), "rate key"));
    if (!decision.allowed()) {
      ctx.hooks().telemetry().rateLimited(ctx.topic(), event);
    }
    return decision;
  }

  @Override
  public StepResult apply(String event, Payload payload, ChannelContext ctx) {
    return check(event, payload, ctx).allowed() ? StepResult.next(payload) : StepResult.fail(error);
  }
}
