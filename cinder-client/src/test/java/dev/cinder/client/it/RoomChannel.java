package dev.cinder.client.it;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HexFormat;
import java.util.Map;

/**
 * A room with one event per feature the client must handle: replies ok and error, no reply at all, pushes,
 * broadcasts, binary in and out, and a crash. A topic ending in {@code :private} refuses every join; the first
 * join of a {@code room:slowjoin*} topic answers after 1.5 s.
 */
final class RoomChannel implements Channel {
  private final ItSocket socket;
  private final ArrayDeque<ReplyRef> late = new ArrayDeque<>();

  RoomChannel(ItSocket socket) {
    this.socket = socket;
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    String user = ctx.assigns().get("user");
    boolean first = socket.joinsOf(topic) == 0;
    socket.joins.add(new ItSocket.Joined(topic, user, params.json()));
    if (first && topic.startsWith("room:slowjoin")) {
      sleep(1_500); // the first join of such a topic answers too late: a slow authorisation, say
    }
    if (topic.endsWith(":private")) {
      return Join.error(Map.of("reason", "unauthorized"));
    }
    return Join.ok(Map.of("user", user));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    if (payload.isBinary()) {
      return binary(event, payload.bytes(), ctx);
    }
    socket.events.add(ctx.topic() + " " + event + " " + payload.json());
    return switch (event) {
      case "echo" -> Reply.ok(payload);
      case "fail" -> Reply.error(Map.of("reason", "as asked"));
      case "ignore" -> Reply.none(); // never answered: the client's push times out
      case "whoami" -> Reply.ok(Map.of("user", ctx.assigns().get("user")));
      case "push_me" -> {
        ctx.push("pushed", payload);
        yield Reply.ok(Map.of("pushed", true));
      }
      case "shout" -> {
        ctx.broadcast("shout", payload);
        yield Reply.ok();
      }
      case "shout_from" -> {
        ctx.broadcastFrom("shout", payload);
        yield Reply.ok();
      }
      case "shout_bytes" -> {
        ctx.broadcast("shout_bytes", Payload.binary(HexFormat.of().parseHex(payload.string("hex"))));
        yield Reply.ok();
      }
      case "crash" -> throw new IllegalStateException("crash on request");
      case "late" -> { // answered 600 ms later, after a short client timeout
        late.add(ctx.replyRef());
        ctx.sendAfter("answer_late", Duration.ofMillis(600));
        yield Reply.none();
      }
      case "stop" -> {
        ctx.stop(); // the channel ends normally: its client gets phx_close
        yield Reply.ok(Map.of("stopping", true));
      }
      default -> Reply.error(Map.of("reason", "unknown_event"));
    };
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    if (message.equals("answer_late")) {
      ctx.reply(late.poll(), Reply.ok(Map.of("late", true)));
    }
  }

  /**
   * Bytes in: recorded, answered with the same bytes, and pushed back reversed as {@code bytes_back}; as
   * {@code bcast_bytes}, broadcast to the room as {@code bytes} instead.
   */
  private Reply binary(String event, byte[] bytes, ChannelContext ctx) {
    socket.binaries.add(event + ":" + HexFormat.of().formatHex(bytes));
    if (event.equals("bcast_bytes")) {
      ctx.broadcast("bytes", Payload.binary(bytes));
      return Reply.ok(Map.of("size", bytes.length));
    }
    byte[] reversed = new byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      reversed[i] = bytes[bytes.length - 1 - i];
    }
    ctx.push("bytes_back", Payload.binary(reversed));
    return Reply.ok(Payload.binary(bytes));
  }
}
