package dev.cinder.example.chat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import java.util.Map;

/** {@code notifications:{user_id}}: a private stream; it carries whatever the server broadcasts to it. */
public final class NotificationChannel implements Channel {
  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    String owner = topic.substring("notifications:".length());
    if (!owner.equals(ctx.assigns().get("user_id"))) {
      return Join.error(Map.of("reason", "unauthorized"));
    }
    return Join.ok();
  }
}
