package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.Presence;
import dev.cinder.client.PresenceEntry;
import dev.cinder.client.Protocol;
import dev.cinder.client.Socket;
import dev.cinder.client.Transports;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Several Java clients come and go in one room: each one's Presence matches the server's list after every step. */
class PresenceTest {
  private static final String TOPIC = "presence:lobby";
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  /** One member: its socket, channel, Presence and what its callbacks saw. */
  record Member(Socket socket, Channel channel, Presence presence, It.Recorder<String> joins,
      It.Recorder<String> leaves, It.Recorder<String> syncs) implements AutoCloseable {
    static Member enter(String user, String device) {
      return enter(server.url(), TOPIC, user, device);
    }

    static Member enter(String url, String topic, String user, String device) {
      return enter(It.socket(url), topic, user, device);
    }

    static Member enter(Socket.Builder builder, String topic, String user, String device) {
      Socket socket = builder.params(Map.of("token", user)).build();
      It.get(socket.connect());
      Channel channel = socket.channel(topic, () -> Map.of("device", device));
      Presence presence = new Presence(channel);
      Member member = new Member(socket, channel, presence, new It.Recorder<>(), new It.Recorder<>(),
          new It.Recorder<>());
      presence.onJoin((key, current, joined) -> member.joins.add(key + " +" + joined.metas().size()
          + (current == null ? " new" : " had " + current.metas().size())));
      presence.onLeave((key, current, left) -> member.leaves.add(key + " -" + left.metas().size()
          + " left " + current.metas().size()));
      presence.onSync(() -> member.syncs.add(view(presence).toString()));
      assertThat(It.get(channel.join()).isOk()).isTrue();
      return member;
    }

    @Override
    public void close() {
      socket.close();
    }
  }

  /** key to {phx_ref: status} from a client's list. */
  private static Map<String, Map<String, String>> view(Presence presence) {
    Map<String, Map<String, String>> view = new TreeMap<>();
    for (PresenceEntry entry : presence.list()) {
      Map<String, String> metas = new TreeMap<>();
      entry.metas().forEach(m -> metas.put(m.path("phx_ref").stringValue(), m.path("status").stringValue()));
      view.put(entry.key(), metas);
    }
    return view;
  }

  /** The same from the server's list. */
  private static Map<String, Map<String, String>> serverView() {
    return serverView(TOPIC);
  }

  private static Map<String, Map<String, String>> serverView(String topic) {
    Map<String, Map<String, String>> view = new TreeMap<>();
    JsonNode state = MAPPER.valueToTree(server.presenceList(topic));
    state.properties().forEach(e -> {
      Map<String, String> metas = new TreeMap<>();
      e.getValue().path("metas").forEach(m -> metas.put(m.path("phx_ref").stringValue(), m.path("status").stringValue()));
      view.put(e.getKey(), metas);
    });
    return view;
  }

  /** Waits until the server lists exactly {@code keys} and every member's Presence shows the server's view. */
  private static Map<String, Map<String, String>> converged(List<Member> members, String... keys) {
    return converged(TOPIC, members, keys);
  }

  private static Map<String, Map<String, String>> converged(String topic, List<Member> members, String... keys) {
    It.await("the server and " + members.size() + " clients agree on " + List.of(keys), () -> {
      Map<String, Map<String, String>> server = serverView(topic);
      return server.keySet().equals(new TreeSet<>(List.of(keys)))
          && members.stream().allMatch(m -> view(m.presence()).equals(server));
    });
    return serverView(topic);
  }

  @Test
  void everyClientsPresenceMatchesTheServerAsUsersComeAndGo() {
    try (Member alice = Member.enter("alice", "phone")) {
      converged(List.of(alice), "alice");
      assertThat(alice.joins().awaitCount(1)).containsExactly("alice +1 new");

      try (Member bob = Member.enter("bob", "desktop")) {
        converged(List.of(alice, bob), "alice", "bob");
        assertThat(alice.joins().await(s -> s.startsWith("bob"))).isEqualTo("bob +1 new");

        // A second device of alice: one key, two metas.
        Member alice2 = Member.enter("alice", "laptop");
        Map<String, Map<String, String>> twoDevices = converged(List.of(alice, bob, alice2), "alice", "bob");
        assertThat(twoDevices.get("alice")).hasSize(2);
        assertThat(bob.joins().await(s -> s.equals("alice +1 had 1"))).isNotNull();
        List<String> devices = alice.presence().list((key, entry) -> key + ":" + entry.metas().size());
        assertThat(devices).containsExactlyInAnyOrder("alice:2", "bob:1");

        assertThat(It.get(bob.channel().push("status", Map.of("status", "away"))).isOk()).isTrue();
        It.await("bob is away everywhere", () -> serverView().get("bob").containsValue("away")
            && view(alice.presence()).equals(serverView()) && view(alice2.presence()).equals(serverView()));

        alice2.close(); // abrupt for the server: the socket goes, the channel never left
        converged(List.of(alice, bob), "alice", "bob");
        assertThat(bob.leaves().await(s -> s.startsWith("alice"))).isEqualTo("alice -1 left 1");
        assertThat(serverView().get("alice")).hasSize(1);

        assertThat(It.get(bob.channel().leave()).isOk()).isTrue();
        converged(List.of(alice), "alice");
        // bob's status change came as a diff too (a new meta joins, the old one leaves), then his leave.
        assertThat(alice.leaves().await(s -> s.equals("bob -1 left 0"))).isNotNull();
        assertThat(alice.leaves().all()).filteredOn(s -> s.startsWith("bob"))
            .containsExactly("bob -1 left 1", "bob -1 left 0");
      }
      String finalView = serverView().toString();
      It.await("alice's last onSync saw the final list", () -> alice.syncs().all().getLast().equals(finalView));
      assertThat(alice.syncs().size()).isGreaterThanOrEqualTo(4);
      assertThat(alice.presence().list()).extracting(PresenceEntry::key).containsExactly("alice");
      PresenceEntry self = alice.presence().list().getFirst();
      assertThat(self.value().path("metas").size()).isEqualTo(1);
      assertThat(self.metas().getFirst().path("device").stringValue()).isEqualTo("phone");
    }
  }

  @Test
  void aClientThatWasAwayGetsTheWholeStateAgainWithJoinsAndLeavesForWhatChanged() throws Exception {
    String topic = "presence:away";
    try (FaultProxy proxy = new FaultProxy(server.port());
        Member alice = Member.enter(proxy.url("/socket"), topic, "alice", "phone");
        Member bob = Member.enter(server.url(), topic, "bob", "desktop")) {
      converged(topic, List.of(alice, bob), "alice", "bob");

      proxy.refuse();
      proxy.drop();
      converged(topic, List.of(bob), "bob"); // the server let go of alice
      bob.socket().close(); // bob goes while alice is away
      try (Member carol = Member.enter(server.url(), topic, "carol", "tablet")) {
        converged(topic, List.of(carol), "carol");
        assertThat(view(alice.presence()).keySet()).as("alice heard nothing while away").containsExactly("alice", "bob");

        proxy.admit();
        converged(topic, List.of(alice, carol), "alice", "carol");
        assertThat(alice.leaves().await(s -> s.startsWith("bob"))).isEqualTo("bob -1 left 0");
        assertThat(alice.joins().await(s -> s.startsWith("carol"))).isEqualTo("carol +1 new");
        // alice's own key came back with a new meta (a new phx_ref): one join and one leave for it, none doubled.
        assertThat(alice.presence().list()).extracting(PresenceEntry::key).containsExactlyInAnyOrder("alice", "carol");
        assertThat(alice.presence().list().stream().filter(e -> e.key().equals("alice")).findFirst().orElseThrow()
            .metas()).hasSize(1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Protocol.class)
  void presenceWorksOverLongPollInBothProtocols(Protocol protocol) {
    String topic = "presence:lp-" + protocol;
    try (Member ws = Member.enter(server.url(), topic, "ws-member", "desktop");
        Member lp = Member.enter(It.socket(server.url()).transport(Transports.longPoll()).protocol(protocol),
            topic, "lp-member", "old-browser")) {
      converged(topic, List.of(ws, lp), "lp-member", "ws-member");
      assertThat(It.get(lp.channel().push("status", Map.of("status", "busy"))).isOk()).isTrue();
      It.await("busy everywhere", () -> serverView(topic).get("lp-member").containsValue("busy")
          && view(ws.presence()).equals(serverView(topic)) && view(lp.presence()).equals(serverView(topic)));
      ws.socket().close();
      converged(topic, List.of(lp), "lp-member");
      assertThat(lp.leaves().await(s -> s.startsWith("ws-member"))).isEqualTo("ws-member -1 left 0");
    }
  }
}
