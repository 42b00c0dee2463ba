package dev.cinder.guide;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import java.util.Map;
import java.util.Set;

/**
 * {@code feed:<name>}: posts broadcast to every reader, each reader's copy changed on its way out: marked
 * when it is the reader's own, and left out when its author is the one the reader muted at join.
 */
public final class FeedChannel implements Channel {
  private String userId;
  private String muted;

  // region: feed-intercepts
  @Override
  public Set<String> intercepts() {
    return Set.of("new_post");
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    userId = ctx.assigns().get("user_id");
    muted = params.string("muted"); // a join param, e.g. channel("feed:news", {muted: "bob"})
    return Join.ok();
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    if (event.equals("post")) {
      ctx.broadcast("new_post", Map.of("author", userId, "body", payload.string("body")));
      return Reply.ok();
    }
    return Reply.error(Map.of("reason", "unknown_event"));
  }

  /** Runs once per reader for every intercepted broadcast; push nothing to skip this reader. */
  @Override
  public void handleOut(String event, Payload payload, ChannelContext ctx) {
    String author = payload.string("author");
    if (author != null && author.equals(muted)) {
      return;
    }
    ctx.push(event, payload.with("is_own", userId.equals(author)));
  }
  // endregion
}
