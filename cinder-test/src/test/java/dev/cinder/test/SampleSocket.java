package dev.cinder.test;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.StopReason;
import dev.cinder.presence.Presence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/** The small application these tests drive: a socket with a token check and a few channels, each showing one thing. */
final class SampleSocket implements SocketHandler {
  /** Every terminate, as "topic:REASON", seen from inside the channels. */
  final List<String> terminated = new CopyOnWriteArrayList<>();
  private final Presence presence;

  SampleSocket(Presence presence) {
    this.presence = presence;
  }

  @Override
  public void routes(Routes routes) {
    routes.channel("room:*", Room::new).channel("timer:*", Ticker::new).channel("crash:*", Crashing::new);
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    String token = params.get("token");
    return token != null && token.startsWith("user:") ? Connect.ok(Map.of("user_id", token.substring(5))) : Connect.refuse();
  }

  @Override
  public String id(Assigns assigns) {
    return "user_socket:" + assigns.get("user_id");
  }

  /** Rooms: members only for room:private, "shout" broadcast, "said" intercepted and marked per recipient. */
  final class Room implements Channel {
    private String user;

    @Override
    public Set<String> intercepts() {
      return Set.of("said");
    }

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      user = ctx.assigns().get("user_id");
      if (topic.equals("room:private") && !"alice".equals(user)) {
        return Join.error(Map.of("reason", "unauthorized"));
      }
      if (presence != null) {
        ctx.send("track");
      }
      return Join.ok(Map.of("welcome", user));
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return switch (event) {
        case "ping" -> Reply.ok(Map.of("pong", payload.string("n")));
        case "shout" -> {
          ctx.broadcast("shout", Map.of("from", user, "body", payload.string("body")));
          yield Reply.ok();
        }
        case "say" -> {
          ctx.broadcast("said", Map.of("from", user, "body", payload.string("body")));
          yield Reply.none();
        }
        case "whisper" -> {
          ctx.push("whispered", Map.of("body", payload.string("body")));
          yield Reply.none();
        }
        case "bytes" -> Reply.ok(Payload.binary(new byte[] {1, 2, 3}));
        case "unserializable" -> {
          ctx.push("oops", new Unserializable());
          yield Reply.ok();
        }
        case "stop" -> {
          ctx.stop();
          yield Reply.ok();
        }
        case "status" -> {
          presence.update(ctx, user, Map.of("status", payload.string("status")));
          yield Reply.ok();
        }
        default -> Reply.error(Map.of("reason", "unknown_event"));
      };
    }

    @Override
    public void handleOut(String event, Payload payload, ChannelContext ctx) {
      ctx.push(event, payload.with("mine", user.equals(payload.string("from"))));
    }

    @Override
    public void handleInfo(Object message, ChannelContext ctx) {
      if ("track".equals(message)) {
        presence.pushState(ctx);
        presence.track(ctx, user, Map.of("status", "online"));
      } else {
        ctx.push("info", Map.of("message", message.toString()));
      }
    }

    @Override
    public void terminate(StopReason reason, ChannelContext ctx) {
      terminated.add(ctx.topic() + ":" + reason);
    }
  }

  /** A value Jackson cannot turn into JSON: its only property throws. */
  static final class Unserializable {
    public String getValue() {
      throw new IllegalStateException("this value cannot be serialized");
    }
  }

  /** Ticks every second once started, up to the count asked for. */
  static final class Ticker implements Channel {
    private int ticks;
    private int limit;

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      limit = params.integer("ticks") == null ? 1 : params.integer("ticks").intValue();
      ctx.sendAfter("tick", Duration.ofSeconds(1));
      return Join.ok();
    }

    @Override
    public void handleInfo(Object message, ChannelContext ctx) {
      ticks++;
      ctx.push("tick", Map.of("n", ticks));
      if (ticks < limit) {
        ctx.sendAfter("tick", Duration.ofSeconds(1));
      }
    }
  }

  /** Throws where it is told to: in join, or on the event "boom". */
  static final class Crashing implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      if (topic.equals("crash:join")) {
        throw new IllegalStateException("join failed on purpose");
      }
      return Join.ok();
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      throw new IllegalStateException("boom: " + event);
    }
  }
}
