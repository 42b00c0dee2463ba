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
import dev.cinder.internal.Json;
import dev.cinder.serializer.Frame;
import dev.cinder.socket.Connection;
import dev.cinder.socket.SocketMount;
import dev.cinder.socket.SocketSession;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Presence from real channels: what clients receive, and untracking on every way a channel ends. */
class PresenceChannelTest {
  private static final String TOPIC = "room:lobby";

  private final PubSub pubSub = PubSub.local();
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

  /** One client connection: the frames it received, as V2 JSON arrays. */
  final class Client implements Connection {
    final List<JsonNode> frames = new CopyOnWriteArrayList<>();
    final SocketSession session;

    @Override
    public String transport() {
      return "test";
    }

    Client() {
      ConnectInfo info = new ConnectInfo(new InetSocketAddress("127.0.0.1", 1), URI.create("/socket/websocket"),
          Map.of(), null, "websocket");
      session = mount.connect(Map.of("vsn", "2.0.0"), info).orElseThrow().open(this);
    }

    @Override
    public void send(Frame frame) {
      frames.add(Json.MAPPER.readTree(frame.text()));
    }

    @Override
    public void close(int code, String reason) {
      session.transportClosed();
    }

    void send(String joinRef, String event, Object payload) {
      session.receive(Frame.text(Json.MAPPER.writeValueAsString(
          List.of(joinRef, "r" + frames.size(), TOPIC, event, payload))));
    }

    JsonNode pushed(String event) {
      await().until(() -> frames.stream().anyMatch(f -> f.get(3).stringValue().equals(event)));
      return frames.stream().filter(f -> f.get(3).stringValue().equals(event)).findFirst().orElseThrow();
    }
  }

  private Client joined(String user) {
    Client client = new Client();
    client.send("1", "phx_join", Map.of("user", user));
    client.pushed("presence_state");
    return client;
  }

  @Test
  void aJoinerGetsTheStateAndEveryoneTheDiff() {
    Client first = joined("42");
    JsonNode state = first.pushed("presence_state");
    assertThat(state.get(0).stringValue()).isEqualTo("1");
    assertThat(state.get(1).isNull()).isTrue();
    assertThat(state.get(4).get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("online");

    JsonNode diff = first.pushed("presence_diff");
    assertThat(diff.get(0).isNull()).as("a broadcast: no join_ref").isTrue();
    assertThat(diff.get(4).get("joins").has("42")).isTrue();
  }

  @Test
  void oneUserOnTwoSocketsIsOneKeyWithTwoMetas() {
    joined("42");
    Client laptop = joined("42");
    assertThat(metas("42")).isEqualTo(2);
    laptop.close(1001, "gone");
    await().until(() -> metas("42") == 1);
    awaitClientsAgree();
  }

  @Test
  void anUpdateFromTheChannelIsOneDiff() {
    Client client = joined("42");
    int before = recorder.diffs.size();
    client.send("1", "status", Map.of("user", "42", "status", "away"));
    await().until(() -> recorder.diffs.size() == before + 1);
    JsonNode diff = recorder.diffs.getLast();
    assertThat(diff.get("joins").get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("away");
    assertThat(diff.get("leaves").get("42").get("metas").get(0).get("status").stringValue()).isEqualTo("online");
  }

  @Test
  void everyWayAChannelEndsUntracks() {
    joined("left").send("1", "phx_leave", Map.of());
    joined("stopped").send("1", "stop", Map.of());
    joined("crashed").send("1", "boom", Map.of());
    joined("closed").session.transportClosed();
    Client rejoined = joined("rejoined");
    rejoined.send("2", "phx_join", Map.of("user", "rejoined-again")); // a duplicate join ends the first
    await().until(() -> presence.list(TOPIC).keySet().equals(java.util.Set.of("rejoined-again")));
    awaitClientsAgree();
  }

  @Test
  void aPresenceTrackedByARefusedJoinOrAfterTheEndIsDropped() {
    Client client = new Client();
    client.send("1", "phx_join", Map.of("user", "refused", "refuse", true));
    client.pushed("phx_reply");
    await().until(() -> presence.list(TOPIC).isEmpty());

    joined("gone").send("1", "phx_leave", Map.of());
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
