package dev.cinder.example.chat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code bench:{id}}, the load-testing topic: open to all, nothing pushed on join, {@code ping} echoes and
 * {@code new_msg} broadcasts without storage — so benchmarks measure the framework alone.
 */
public final class BenchChannel implements Channel {
  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    return Join.ok();
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return switch (event) {
      case "ping" -> Echo.of(payload);
      case "new_msg" -> {
        Map<String, Object> msg = new LinkedHashMap<>();
        msg.put("body", payload.string("body"));
        msg.put("user_id", ctx.assigns().get("user_id"));
        ctx.broadcast("new_msg", msg);
        yield Reply.none();
      }
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }
}
