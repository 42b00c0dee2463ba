package dev.cinder.bench.mini;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.History;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.token.PhoenixToken;
import dev.cinder.token.TokenResult;
import java.time.Duration;
import java.util.Map;

/** The example's socket, cut down to the bench topics: a Phoenix.Token of the user id, salt {@code "user auth"}. */
final class MiniSocket implements SocketHandler {
  private final PhoenixToken tokens;

  MiniSocket(String secretKeyBase) {
    this.tokens = PhoenixToken.forSecret(secretKeyBase);
  }

  @Override
  public void routes(Routes routes) {
    routes.channel("bench:*", BenchTopic::new);
    // The same channel on topics that keep a history: the recovery benchmark's (issue 14).
    routes.channel("bench_history:*", BenchTopic::new, History.of(1000, Duration.ofMinutes(5)));
  }

  @Override
  public Connect connect(Params params, ConnectInfo info) {
    return tokens.verify("user auth", params.get("token"), PhoenixToken.DEFAULT_MAX_AGE) instanceof TokenResult.Valid(Object id)
        ? Connect.ok(Map.of("user_id", id)) : Connect.refuse();
  }

  @Override
  public String id(Assigns assigns) {
    return "user_socket:" + assigns.get("user_id");
  }

  /** As the example's {@code BenchChannel}: open to all, nothing pushed on join, {@code ping} echoes. */
  private static final class BenchTopic implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      return Join.ok();
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      return event.equals("ping") ? Reply.ok(payload) : Reply.error(Map.of("reason", "unknown_event"));
    }
  }
}
