package dev.cinder.internal.socket;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.StopReason;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * A channel driven by its inputs: the join param {@code mode} and the event names pick its behaviour. Each
 * instance is numbered (#1, #2, … per probe) and logs every callback to the {@link Probe}.
 */
final class TestChannel implements Channel {
  private final Probe probe;
  private final int id;

  TestChannel(Probe probe) {
    this.probe = probe;
    this.id = probe.instances.incrementAndGet();
  }

  @Override
  public Set<String> intercepts() {
    return Set.of("censored", "tick");
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    return tracked("join #" + id + " " + topic, () -> {
      probe.contexts.put(id, ctx);
      String mode = params.string("mode");
      return switch (mode == null ? "ok" : mode) {
        case "reply" -> Join.ok(Map.of("welcome", "yes"));
        case "error" -> Join.error(Map.of("reason", "unauthorized"));
        case "throw" -> throw new IllegalStateException("join failure");
        case "throw_error" -> throw new AssertionError("join failure");
        case "push" -> {
          ctx.push("too_early", Map.of());
          yield Join.ok();
        }
        case "send" -> {
          ctx.send("after_join");
          yield Join.ok();
        }
        case "stop" -> {
          ctx.stop(); // not inside a callback's turn: queued, so it runs right after the join's reply
          yield Join.ok();
        }
        default -> Join.ok();
      };
    });
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return tracked("in #" + id + " " + event, () -> switch (event) {
      case "echo" -> Reply.ok(payload);
      case "count" -> Reply.none();
      case "later" -> {
        probe.savedRefs.add(ctx.replyRef());
        yield Reply.none();
      }
      case "stop" -> {
        ctx.stop();
        yield Reply.ok(Map.of("bye", true));
      }
      case "stop_elsewhere" -> {
        // Offloaded work that decides to end the channel, from a thread of its own.
        Thread.ofVirtual().start(ctx::stop);
        yield Reply.ok(Map.of("offloaded", true));
      }
      case "hold" -> {
        probe.holding.countDown();
        try {
          probe.release.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        yield Reply.ok();
      }
      case "boom" -> throw new IllegalStateException("handleIn failure");
      case "checked_boom" -> throw sneaky(new IOException("undeclared checked exception"));
      case "context" -> {
        String mark = payload.string("mark");
        if (mark != null) {
          ctx.assigns().put("mark", mark);
        }
        Map<String, Object> seen = new LinkedHashMap<>();
        seen.put("topic", ctx.topic());
        seen.put("socket_id", ctx.socketId());
        seen.put("assigns", new TreeMap<>(ctx.assigns().asMap()));
        yield Reply.ok(seen);
      }
      case "remind" -> {
        ctx.sendAfter("after_join", Duration.ofMillis(payload.field("ms").asInt()));
        yield Reply.ok();
      }
      case "shout" -> {
        ctx.broadcast("shout", payload);
        yield Reply.ok();
      }
      case "shout_from" -> {
        ctx.broadcastFrom("shout", payload);
        yield Reply.ok();
      }
      default -> Channel.super.handleIn(event, payload, ctx);
    });
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    tracked("info #" + id + " " + message, () -> {
      if ("after_join".equals(message)) {
        ctx.push("welcome", Map.of("hello", "you"));
      }
      return null;
    });
  }

  @Override
  public void handleOut(String event, Payload payload, ChannelContext ctx) {
    tracked("out #" + id + " " + event, () -> {
      if (event.equals("censored")) {
        ctx.push(event, payload.with("censored", true));
      }
      return null;
    });
  }

  @Override
  public void terminate(StopReason reason, ChannelContext ctx) {
    tracked("terminate #" + id + " " + reason, () -> {
      if (probe.terminateThrowsError) {
        throw new AssertionError("terminate failure");
      }
      return null;
    });
  }

  private <T> T tracked(String entry, Supplier<T> callback) {
    probe.enter(entry);
    try {
      return callback.get();
    } finally {
      probe.exit();
    }
  }

  @SuppressWarnings("unchecked")
  private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
    throw (E) t;
  }
}
