package dev.cinder.presence;

import dev.cinder.ConnectInfo;
import dev.cinder.internal.Json;
import dev.cinder.internal.channel.Connection;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.socket.SocketMount;
import dev.cinder.internal.socket.SocketSession;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import tools.jackson.databind.JsonNode;

/**
 * A client of a {@link SocketMount} over an in-memory connection: it speaks the V2 JSON protocol through a real
 * {@link SocketSession} (channels, mailboxes, serializer) and keeps every frame it received, in order.
 */
final class MemoryClient implements Connection {
  private static final AtomicInteger REFS = new AtomicInteger();

  /** Every frame received, as V2 JSON arrays {@code [join_ref, ref, topic, event, payload]}. */
  final List<JsonNode> frames = new CopyOnWriteArrayList<>();
  /** The same frames as received, as text. */
  final List<String> texts = new CopyOnWriteArrayList<>();
  final SocketSession session;

  MemoryClient(SocketMount mount) {
    this(mount, Map.of());
  }

  MemoryClient(SocketMount mount, Map<String, String> params) {
    ConnectInfo info = new ConnectInfo(new InetSocketAddress("127.0.0.1", 1), URI.create("/socket/websocket"),
        Map.of(), null, "websocket");
    Map<String, String> query = new java.util.HashMap<>(params);
    query.put("vsn", "2.0.0");
    session = mount.connect(query, info).orElseThrow().open(this);
  }

  @Override
  public String transport() {
    return "test";
  }

  @Override
  public void send(Frame frame) {
    texts.add(frame.text());
    frames.add(Json.MAPPER.readTree(frame.text()));
  }

  @Override
  public void close(int code, String reason) {
    session.transportClosed();
  }

  /** Sends {@code [joinRef, ref, topic, event, payload]} with a fresh ref; returns that ref. */
  String send(String topic, String joinRef, String event, Object payload) {
    String ref = "r" + REFS.incrementAndGet();
    session.receive(Frame.text(Json.MAPPER.writeValueAsString(List.of(joinRef, ref, topic, event, payload))));
    return ref;
  }

  /** Joins {@code topic} (join_ref "1") and waits for its {@code presence_state}. */
  MemoryClient joined(String topic, Object params) {
    send(topic, "1", "phx_join", params);
    first(topic, "presence_state");
    return this;
  }

  /** Leaves {@code topic} and waits for the channel's {@code phx_close}: it has ended, its presences are gone. */
  void leave(String topic) {
    send(topic, "1", "phx_leave", Map.of());
    first(topic, "phx_close");
  }

  /**
   * Sends an event the channel does not know and waits for its reply: the channel has handled everything this
   * client sent before.
   */
  void roundTrip(String topic) {
    String ref = send(topic, "1", "round_trip", Map.of());
    await(topic, "phx_reply", f -> ref.equals(f.get(1).stringValue()));
  }

  /** The first frame of {@code event} on {@code topic}, waiting for it. */
  JsonNode first(String topic, String event) {
    return await(topic, event, frame -> true);
  }

  /** Waits for a frame of {@code event} on {@code topic} that matches; returns it. */
  JsonNode await(String topic, String event, Predicate<JsonNode> matches) {
    Predicate<JsonNode> wanted = f -> f.get(2).stringValue().equals(topic) && f.get(3).stringValue().equals(event)
        && matches.test(f);
    Awaitility.await().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
        .until(() -> frames.stream().anyMatch(wanted));
    return frames.stream().filter(wanted).findFirst().orElseThrow();
  }

  /** The payloads of every frame of {@code event} on {@code topic} received so far. */
  List<JsonNode> payloads(String topic, String event) {
    List<JsonNode> payloads = new ArrayList<>();
    for (JsonNode f : frames) {
      if (f.get(2).stringValue().equals(topic) && f.get(3).stringValue().equals(event)) {
        payloads.add(f.get(4));
      }
    }
    return payloads;
  }

  /**
   * What the official client's {@code Presence} shows for {@code topic} after the frames received so far: the
   * {@code presence_state}, then the {@code presence_diff}s, a diff that came before the state held back
   * until the state arrives (phoenix.js's pendingDiffs). One join per topic and client.
   */
  ClientPresence presence(String topic) {
    ClientPresence presence = new ClientPresence();
    List<JsonNode> pending = new ArrayList<>();
    boolean synced = false;
    for (JsonNode f : frames) {
      if (!f.get(2).stringValue().equals(topic)) {
        continue;
      }
      switch (f.get(3).stringValue()) {
        case "presence_state" -> {
          presence.syncState(f.get(4));
          pending.forEach(diff -> presence.syncDiff(diff.get("joins"), diff.get("leaves")));
          pending.clear();
          synced = true;
        }
        case "presence_diff" -> {
          if (synced) {
            presence.syncDiff(f.get(4).get("joins"), f.get(4).get("leaves"));
          } else {
            pending.add(f.get(4));
          }
        }
        default -> {}
      }
    }
    return presence;
  }
}
