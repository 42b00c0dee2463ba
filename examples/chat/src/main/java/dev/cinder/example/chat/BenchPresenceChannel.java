package dev.cinder.example.chat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.presence.Presence;
import java.time.Instant;
import java.util.Map;

/**
 * {@code bench_presence:{id}}, the presence load-testing topic: after the join reply, {@code presence_state}
 * and a track under the user id with {@code {online_at}} — nothing else, so a join storm measures Presence alone.
 */
public final class BenchPresenceChannel implements Channel {
  private final Presence presence;

  public BenchPresenceChannel(Presence presence) {
    this.presence = presence;
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    ctx.send("after_join");
    return Join.ok();
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    presence.pushState(ctx);
    presence.track(ctx, ctx.assigns().get("user_id"), Map.of("online_at", Instant.now().getEpochSecond()));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return event.equals("ping") ? Echo.of(payload) : Reply.error(Map.of("reason", "unknown_event"));
  }
}
