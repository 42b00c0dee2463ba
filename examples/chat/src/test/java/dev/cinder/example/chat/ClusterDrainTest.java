package dev.cinder.example.chat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.endpoint.DrainStatus;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsMessage;
import dev.cinder.testkit.PhoenixJs;
import dev.cinder.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Draining one node of a two-node cluster (two example apps on one Redis and one database, behind a balancer
 * that sends new connections to the first node that accepts them): its clients end up on the other node,
 * rejoined, having missed no message and leaving no ghost presence.
 *
 * <p>"No message lost" for the example: every message that was broadcast before the drain began (its author's
 * own copy had come back to it) reaches every drained client, live (before the close or after the rejoin) or
 * in the {@code message_history} its rejoin pushes. "No ghost": the observer on the other node, and that
 * node's own presence list, show each drained user with exactly one meta, the new one; the old metas left.
 * The presence down period is 60 s, far beyond the waits here, so the leaves cannot come from the drained
 * node being found silent: they come from the drain.
 */
class ClusterDrainTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String ROOM = "room:drain";
  private static final List<String> USERS = List.of("u1", "u2", "u3", "u4", "u5", "u6");
  private static final int MESSAGES = 20;

  private final List<AutoCloseable> resources = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (AutoCloseable resource : resources.reversed()) {
      resource.close();
    }
  }

  private <T extends AutoCloseable> T closedAfter(T resource) {
    resources.add(resource);
    return resource;
  }

  private static ChatApp node(RedisServer redis, String name, String database) {
    return ChatApp.start(ChatConfig.fromEnvironment(Map.of("PORT", "0", "SECRET_KEY_BASE", ChatServer.SECRET,
        "ADMIN_TOKEN", ChatServer.ADMIN, "PUBSUB", "redis", "REDIS_URL", redis.url(), "NODE_NAME", name,
        "PRESENCE_DOWN_MS", "60000", "DATABASE_URL", database, "RATE_LIMIT", "100/1000")));
  }

  @Test
  void drainedClientsMoveToTheOtherNodeWithNoMessageLostAndNoGhostPresence() throws Exception {
    RedisServer redis = closedAfter(RedisServer.launch());
    String database = "jdbc:h2:mem:drain" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
    ChatApp a = node(redis, "node-a", database);
    java.util.concurrent.atomic.AtomicBoolean drained = new java.util.concurrent.atomic.AtomicBoolean();
    closedAfter(() -> {
      if (drained.compareAndSet(false, true)) {
        a.close(); // the test failed before it drained node a
      }
    });
    ChatApp b = closedAfter(node(redis, "node-b", database));
    FailoverBalancer balancer = closedAfter(new FailoverBalancer(List.of(a.port(), b.port())));
    PhoenixJs js = closedAfter(PhoenixJs.start());

    JsChannel observer = join(js, b.port(), b.port(), "obs"); // on node b, directly
    Map<String, JsChannel> users = new LinkedHashMap<>();
    Map<String, String> firstJoinRefs = new HashMap<>();
    for (String user : USERS) {
      JsChannel channel = join(js, balancer.port(), b.port(), user);
      users.put(user, channel);
      firstJoinRefs.put(user, channel.joinRef());
    }
    assertThat(balancer.connections(0)).isEqualTo(USERS.size()); // all on node a

    Set<String> everyone = new TreeSet<>(USERS);
    everyone.add("obs");
    JsonNode before = observer.awaitPresenceState(s -> keys(s).equals(everyone), WAIT);
    Map<String, String> oldRefs = new HashMap<>();
    for (String user : USERS) {
      assertThat(before.path(user).path("metas")).hasSize(1);
      oldRefs.put(user, before.path(user).path("metas").get(0).path("phx_ref").asString());
    }

    List<String> sent = IntStream.rangeClosed(1, MESSAGES).mapToObj(i -> "before the drain " + i).toList();
    sent.forEach(body -> observer.pushNoReply("new_msg", Map.of("body", body)));
    for (String body : sent) { // broadcast: the author's own copy came back
      observer.awaitMessage(m -> isMessage(m, body), WAIT);
    }

    drained.set(true);
    a.close(); // what SIGTERM runs: drain, then jobs, cluster (presence, PubSub) and database

    assertThat(a.endpoint().drainStatus()).isEqualTo(new DrainStatus(DrainStatus.Phase.STOPPED, 0, 1));
    for (String user : USERS) {
      JsChannel channel = users.get(user);
      assertThat(channel.socket().awaitClose(WAIT)).as(user + "'s close code").isEqualTo(1012);
      channel.socket().awaitOpen(WAIT);
      JsMessage history = channel.awaitMessage(m -> m.event().equals("message_history")
          && !firstJoinRefs.get(user).equals(m.joinRef()), WAIT);
      Set<String> seen = new HashSet<>();
      history.payload().path("messages").forEach(m -> seen.add(m.path("body").asString()));
      channel.messages().stream().filter(m -> m.event().equals("new_msg"))
          .forEach(m -> seen.add(m.payload().path("body").asString()));
      assertThat(seen).as("messages %s has, live or in its history after the rejoin", user).containsAll(sent);
    }
    assertThat(balancer.connections(1)).isEqualTo(USERS.size()); // every one reconnected to node b

    JsonNode after = observer.awaitPresenceState(s -> keys(s).equals(everyone)
        && USERS.stream().allMatch(u -> s.path(u).path("metas").size() == 1
            && !s.path(u).path("metas").get(0).path("phx_ref").asString().equals(oldRefs.get(u))), WAIT);
    Map<String, Map<String, Object>> listed = b.presence().list(ROOM);
    assertThat(listed.keySet()).isEqualTo(everyone);
    for (String user : USERS) {
      String newRef = after.path(user).path("metas").get(0).path("phx_ref").asString();
      assertThat(refs(listed.get(user))).as(user + "'s metas on node b").containsExactly(newRef);
    }
    Set<String> left = new HashSet<>();
    observer.messages().stream().filter(m -> m.event().equals("presence_diff"))
        .forEach(m -> m.payload().path("leaves").forEach(p -> p.path("metas").forEach(meta -> left.add(meta.path("phx_ref").asString()))));
    assertThat(left).containsAll(oldRefs.values());

    // A fence: a message sent now reaches every moved client live, on node b.
    observer.pushNoReply("new_msg", Map.of("body", "after the drain"));
    for (JsChannel channel : users.values()) {
      channel.awaitMessage(m -> isMessage(m, "after the drain"), WAIT);
    }
    assertThat(b.presence().list(ROOM).keySet()).isEqualTo(everyone);
    js.assertNoDriverErrors();
  }

  /** Connects through {@code port} with a token from {@code tokenPort}, joins the room with presence. */
  private static JsChannel join(PhoenixJs js, int port, int tokenPort, String user) throws Exception {
    var socket = js.connect("ws://127.0.0.1:" + port + "/socket", Map.of("token", ChatServer.tokenFrom(tokenPort, user)));
    JsChannel channel = socket.channel(ROOM).trackPresence();
    assertThat(channel.join().status()).isEqualTo("ok");
    return channel;
  }

  private static boolean isMessage(JsMessage m, String body) {
    return m.event().equals("new_msg") && m.payload().path("body").asString().equals(body);
  }

  private static Set<String> keys(JsonNode state) {
    Set<String> keys = new TreeSet<>();
    state.propertyNames().forEach(keys::add);
    return keys;
  }

  @SuppressWarnings("unchecked")
  private static List<String> refs(Map<String, Object> presence) {
    return ((List<Map<String, Object>>) presence.get("metas")).stream().map(m -> (String) m.get("phx_ref")).toList();
  }
}
