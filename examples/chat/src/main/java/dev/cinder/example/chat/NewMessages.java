package dev.cinder.example.chat;

import dev.cinder.ChannelContext;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.pipeline.Pipeline;
import dev.cinder.pipeline.Steps;
import dev.cinder.ratelimit.EventRateLimit;
import dev.cinder.ratelimit.RateKey;
import dev.cinder.ratelimit.RateLimiter;
import java.sql.SQLException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code new_msg} from a client: checked and cleaned by a pipeline, then stored and broadcast to the room.
 * Every refusal is pushed to the sender as {@code error}; nothing is stored then, and there is never a reply.
 */
public final class NewMessages {
  private static final Logger log = LoggerFactory.getLogger(NewMessages.class);
  static final int MAX_BODY = 4000;

  private final MessageStore store;
  private final Pipeline pipeline;

  public NewMessages(MessageStore store, RateLimiter<Object> perUserPerRoom) {
    this.store = store;
    this.pipeline = Pipeline.builder()
        .step(Steps.log(log))
        .step(Steps.requireText("body"))
        .step(Steps.maxLength("body", MAX_BODY, "body_too_long"))
        .step(new StripHtml("body"))
        .step(Steps.requireText("body")) // a body of tags only has nothing left
        // Last, so that only messages that would be stored count against the budget.
        .step(new EventRateLimit(perUserPerRoom, RateKey.assignAndTopic("user_id")))
        .build();
  }

  Reply handle(String event, Payload payload, ChannelContext ctx) {
    return pipeline.handle(event, payload, ctx, this::storeAndBroadcast);
  }

  private Reply storeAndBroadcast(String event, Payload payload, ChannelContext ctx) {
    String room = ctx.topic().substring("room:".length());
    Message message;
    try {
      message = store.insert(room, ctx.assigns().get("user_id"), payload.string("body"));
    } catch (SQLException e) {
      log.error("could not store a message in {}", ctx.topic(), e);
      ctx.push("error", Map.of("reason", "storage_failed"));
      return Reply.none();
    }
    ctx.broadcast("new_msg", message.toPayload());
    return Reply.none();
  }
}
