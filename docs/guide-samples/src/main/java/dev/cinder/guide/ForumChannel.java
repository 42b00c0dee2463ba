package dev.cinder.guide;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.pipeline.ErrorReport;
import dev.cinder.pipeline.Pipeline;
import dev.cinder.pipeline.Step;
import dev.cinder.pipeline.StepResult;
import dev.cinder.pipeline.Steps;
import dev.cinder.ratelimit.EventRateLimit;
import dev.cinder.ratelimit.RateKey;
import dev.cinder.ratelimit.RateLimiter;
import java.time.Duration;
import java.util.Map;

/** {@code forum:<name>}: posts are checked, cleaned and rate limited by a pipeline before they are broadcast. */
public final class ForumChannel implements Channel {
  // region: forum-custom-step
  /** A step of your own: the body without surrounding blanks, and never shouting in capitals only. */
  static final Step TIDY_BODY = (event, payload, ctx) -> {
    String body = payload.string("body").strip();
    if (body.length() > 3 && body.equals(body.toUpperCase(java.util.Locale.ROOT))) {
      return StepResult.fail(Map.of("reason", "no_shouting"));
    }
    return StepResult.next(payload.with("body", body));
  };
  // endregion

  // region: forum-pipeline
  /** One budget per user per forum, shared by every channel: 5 posts per 10 seconds. */
  static final RateLimiter<Object> POSTS = RateLimiter.of(5, Duration.ofSeconds(10));

  static final Pipeline NEW_POST = Pipeline.builder()
      .step(Steps.requireText("body"))                       // {"reason":"Missing required fields: body"}
      .step(Steps.maxLength("body", 2000, "body_too_long"))  // {"reason":"body_too_long"}
      .step(TIDY_BODY)
      .step(new EventRateLimit(POSTS, RateKey.assignAndTopic("user_id"))) // last: only posts that pass count
      .errors(ErrorReport.reply())                           // a failed step answers the push with status error
      .build();
  // endregion

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    return Join.ok();
  }

  // region: forum-handle-in
  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      case "new_post" -> NEW_POST.handle(event, payload, ctx, this::publish);
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }

  /** Runs only for posts every step let through, with the payload the steps made. */
  private Reply publish(String event, Payload payload, ChannelContext ctx) {
    ctx.broadcast("new_post", Map.of("author", ctx.assigns().<String>get("user_id"), "body", payload.string("body")));
    return Reply.ok();
  }
  // endregion
}
