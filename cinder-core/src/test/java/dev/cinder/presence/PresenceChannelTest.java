package dev.cinder.presence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.pubsub.LocalPubSub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Presence from real channels: what clients receive, and untracking on every way a channel ends. */
class PresenceChannelTest {
  private static final String TOPIC = "room:lobby";

  private final PubSub pubSub = new LocalPubSub();
  private final Presence presence = Presence.create(pubSub, "n1", PresenceOptions.defaults().diffWindow(Duration.ZERO));
  private final DiffRecorder recorder = new DiffRecorder(pubSub, TOPIC);
  private final AtomicReference<ChannelContext> lastChannel = new AtomicReference<>();
  private final SocketMount mount = new SocketMount("/socket", new Handler(), SocketOptions.defaults(), pubSub, new dev.cinder.telemetry.Telemetry());

  @AfterEach
  void close() {
    presence.close();
  }

  /** Tracks the user on join (or in join, then refuses, for "refuse": true); updates on "status". */
  final class Room implements Channel {
    @Override
    public Join join(String topic, Payload params, ChannelContext ctx) {
      lastChannel.set(ctx);
      if (params.field("refuse") != null) {
        presence.track(ctx, params.string("user"), Map.of());
        return Join.error(Map.of("reason", "refused"));
      }
      ctx.send(params.string("user"));
      return Join.ok();
    }

    @Override
    public void handleInfo(Object user, ChannelContext ctx) {
      presence.track(ctx, (String) user, Map.of("status", "online"));
      ctx.push("presence_state", presence.list(ctx.topic()));
    }

    @Override
    public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
      switch (event) {
        case "status" -> presence.update(ctx, payload.string("user"), meta -> Map.of("status", payload.string("status")));
        case "stop" -> ctx.stop();
        default -> throw new IllegalStateException("crash on purpose");
      }
      return Reply.none();
    }
  }

  final class Handler implements SocketHandler {
    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", Room::new);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok();
    }
  }

  private MemoryClient joined(String user) {
    return new MemoryClient(mount).joined(TOPIC, Map.of("user", user));
  }

  @Test
  void aJoinerGetsTheStateAndEveryoneTheDiff() {
    MemoryClient first = joined("42");
    JsonNode state = first.first(TOPIC, "presence_state");
    assertThat(state.get(0).stringValue()).isEqualTo("1");
    assertThat(state.get(1).isNull()).isTrue();
    assertThat(state.get(4).get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("online");

    JsonNode diff = first.first(TOPIC, "presence_diff");
    assertThat(diff.get(0).isNull()).as("a broadcast: no join_ref").isTrue();
    assertThat(diff.get(4).get("joins").has("42")).isTrue();
  }

  @Test
  void oneUserOnTwoSocketsIsOneKeyWithTwoMetas() {
    joined("42");
    MemoryClient laptop = joined("42");
    assertThat(metas("42")).isEqualTo(2);
    laptop.close(1001, "gone");
    await().until(() -> metas("42") == 1);
    awaitClientsAgree();
  }

  @Test
  void anUpdateFromTheChannelIsOneDiff() {
    MemoryClient client = joined("42");
    // The track runs after the join reply: wait for its own diff so it is not taken for the update's.
    await().until(() -> recorder.diffs.stream().anyMatch(d -> d.get("joins").has("42")));
    int before = recorder.diffs.size();
    client.send(TOPIC, "1", "status", Map.of("user", "42", "status", "away"));
    await().until(() -> recorder.diffs.size() > before);
    client.send(TOPIC, "1", "status", Map.of("user", "42", "status", "busy")); // a fence: its diff comes next
    await().until(() -> recorder.diffs.size() > before + 1);
    assertThat(recorder.diffs).hasSize(before + 2);
    JsonNode diff = recorder.diffs.get(before);
    assertThat(diff.get("joins").get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("away");
    assertThat(diff.get("leaves").get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("online");
  }

  @Test
  void everyWayAChannelEndsUntracks() {
    joined("left").send(TOPIC, "1", "phx_leave", Map.of());
    joined("stopped").send(TOPIC, "1", "stop", Map.of());
    joined("crashed").send(TOPIC, "1", "boom", Map.of());
    joined("closed").session.transportClosed();
    MemoryClient rejoined = joined("rejoined");
    rejoined.send(TOPIC, "2", "phx_join", Map.of("user", "rejoined-again")); // a duplicate join ends the first
    await().until(() -> presence.list(TOPIC).keySet().equals(java.util.Set.of("rejoined-again")));
    awaitClientsAgree();
  }

  @Test
  void aPresenceTrackedByARefusedJoinOrAfterTheEndIsDropped() {
    MemoryClient client = new MemoryClient(mount);
    client.send(TOPIC, "1", "phx_join", Map.of("user", "refused", "refuse", true));
    client.first(TOPIC, "phx_reply");
    await().until(() -> presence.list(TOPIC).isEmpty());

    joined("gone").send(TOPIC, "1", "phx_leave", Map.of());
    await().until(() -> presence.list(TOPIC).isEmpty());
    presence.track(lastChannel.get(), "late", Map.of()); // e.g. from a task that outlived its channel
    assertThat(presence.list(TOPIC)).isEmpty();
  }

  private int metas(String key) {
    Map<String, Object> p = presence.list(TOPIC).get(key);
    return p == null ? 0 : ((List<?>) p.get("metas")).size();
  }

  private void awaitClientsAgree() {
    await().untilAsserted(() -> assertThat(recorder.client.metas())
        .isEqualTo(ClientPresence.normalize(presence.list(TOPIC))));
  }
}
