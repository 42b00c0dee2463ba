package dev.cinder.endpoint;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.History;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.ReplyRef;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.StopReason;
import dev.cinder.presence.Presence;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

/**
 * A socket exercising every channel feature, for the framework's own integration tests. Connect with
 * {@code user=<name>} (or an authToken equal to a name); {@code user=refuse} or none is refused.
 */
final class TestSocket implements SocketHandler {
  /** Terminations seen, as "topic:reason", so tests can assert terminate ran. */
  final List<String> terminations = new CopyOnWriteArrayList<>();
  /** Set once the endpoint (and so its PubSub) exists; used by the presence:* channel. */
  volatile Presence presence;
  /** Counted down when a {@code block} event is inside handleIn; it stays there until {@link #unblock}. */
  final CountDownLatch blocking = new CountDownLatch(1);
  /** Lets every {@code block} event return. */
  final CountDownLatch unblock = new CountDownLatch(1);
  /** The {@code n} of every {@code record} event handled, in the order handleIn ran. */
  final List<Integer> recorded = new CopyOnWriteArrayList<>();

  @Override
  public void routes(Routes routes) {
    routes.channel("test:*", () -> new TestChannel(this))
        .channel("exact", () -> new TestChannel(this))
        .channel("presence:*", () -> new PresenceChannel(presence))
        // Topics that keep a history, for recovery: a long one, and one short enough to lose what a client missed.
        .channel("history:*", () -> new TestChannel(this), History.of(500, Duration.ofMinutes(5)))
        .channel("brief:*", () -> new TestChannel(this), History.of(10, Duration.ofMinutes(5)));
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    String user = params.get("user") != null ? params.get("user") : info.authToken();
    if (user == null || user.equals("refuse")) {
      return Connect.refuse();
    }
    if (user.equals("slow")) {
      try {
        Thread.sleep(500); // a slow connect (a database lookup, say): the client may be gone when it returns
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return Connect.ok(Map.of("user", user));
  }

  @Override
  public String id(Assigns assigns) {
    return "test_socket:" + assigns.<String>get("user");
  }

  /** Tracks its user with {device, status}, pushes presence_state after join, and updates the status. */
  static final class PresenceChannel implements Channel {
    private final Presence presence;
    private String device;

    PresenceChannel(Presence presence) {
      this.presence = presence;
    }

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      device = params.string("device") == null ? "unknown" : params.string("device");
      ctx.send("after_join");
      return Join.ok();
    }

    @Override
    public void handleInfo(Object message, ChannelContext ctx) {
      presence.pushState(ctx); // presence_state, or presence_count on a count-only topic
      presence.track(ctx, ctx.assigns().get("user"), Map.of("device", device, "status", "online"));
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      if (event.equals("update_status")) {
        presence.update(ctx, ctx.assigns().get("user"), meta -> {
          var changed = new java.util.HashMap<>(meta);
          changed.put("status", payload.string("status"));
          return changed;
        });
        return Reply.ok();
      }
      return Reply.error(Map.of("reason", "unknown_event"));
    }
  }

  /** One channel with an event per feature. */
  static final class TestChannel implements Channel {
    private final TestSocket socket;
    private ReplyRef pending;

    TestChannel(TestSocket socket) {
      this.socket = socket;
    }

    @Override
    public Set<String> intercepts() {
      return Set.of("shout");
    }

    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      if (topic.equals("test:private")) {
        return Join.error(Map.of("reason", "unauthorized"));
      }
      if (topic.equals("test:crash_join")) {
        throw new IllegalStateException("join blew up");
      }
      if (topic.equals("test:welcome")) {
        ctx.send("after_join");
        return Join.ok(Map.of("hello", ctx.assigns().get("user")));
      }
      if (topic.startsWith("history:") || topic.startsWith("brief:")) {
        ctx.send("state"); // what a channel pushes after a join unless the client recovered what it missed
      }
      return Join.ok();
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return switch (event) {
        case "echo" -> Reply.ok(payload);
        case "fail" -> Reply.error(Map.of("reason", "as asked"));
        case "crash" -> throw new IllegalStateException("crash on request");
        case "stop" -> {
          ctx.stop();
          yield Reply.ok(Map.of("stopping", true));
        }
        case "broadcast" -> {
          ctx.broadcast(payload.string("event"), payload.field("payload"));
          yield Reply.ok();
        }
        case "broadcast_from" -> {
          ctx.broadcastFrom(payload.string("event"), payload.field("payload"));
          yield Reply.ok();
        }
        case "reply_later" -> {
          pending = ctx.replyRef();
          ctx.sendAfter("answer", Duration.ofMillis(50));
          yield Reply.none();
        }
        case "push_me" -> {
          ctx.push("pushed", payload);
          yield Reply.none();
        }
        case "block" -> {
          socket.blocking.countDown();
          awaitQuietly(socket.unblock);
          yield Reply.ok();
        }
        case "record" -> {
          socket.recorded.add(payload.field("n").asInt());
          yield Reply.ok(Map.of("n", payload.field("n").asInt()));
        }
        default -> Reply.error(Map.of("reason", "unknown_event"));
      };
    }

    @Override
    public void handleInfo(Object message, ChannelContext ctx) {
      if (message.equals("after_join")) {
        ctx.push("welcome", Map.of("user", ctx.assigns().get("user")));
      } else if (message.equals("state") && !ctx.recovered()) {
        ctx.push("state", Map.of("full", true));
      } else if (message.equals("answer")) {
        ctx.reply(pending, Reply.ok(Map.of("later", true)));
      }
    }

    @Override
    public void handleOut(String event, Payload payload, ChannelContext ctx) {
      // Intercepted "shout": each recipient gets its own copy, marked with its user.
      ctx.push(event, payload.with("seen_by", ctx.assigns().get("user")));
    }

    @Override
    public void terminate(StopReason reason, ChannelContext ctx) {
      if (ctx.topic().equals("test:slow_terminate")) {
        sleepQuietly(Duration.ofMillis(300)); // a terminate with work to do: a database write, say
      }
      socket.terminations.add(ctx.topic() + ":" + reason);
    }

    private static void sleepQuietly(Duration duration) {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void awaitQuietly(CountDownLatch latch) {
      try {
        latch.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
