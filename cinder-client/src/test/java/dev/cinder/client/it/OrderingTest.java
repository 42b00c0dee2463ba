package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.Message;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.TransportFactory;
import dev.cinder.client.Transports;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Pushes reach the server in the order each thread made them, and broadcasts reach handlers in order. */
class OrderingTest {
  private static final JsonMapper MAPPER = JsonMapper.builder().build();
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  private static TransportFactory transport(String name) {
    return name.equals("websocket") ? Transports.webSocket() : Transports.longPoll();
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void pushesFromManyThreadsArriveInEachThreadsOrderAndAllAreAnswered(String transport) throws Exception {
    String topic = "room:order-" + transport;
    try (Socket socket = It.socket(server.url()).transport(transport(transport))
        .params(Map.of("token", "order-" + transport)).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, topic);
      int threads = 4;
      int each = 20; // within the server's inbound burst
      List<CompletableFuture<Reply>> replies = new CopyOnWriteArrayList<>();
      List<Thread> pushers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        pushers.add(Thread.ofVirtual().start(() -> {
          for (int n = 0; n < each; n++) {
            replies.add(room.push("echo", Map.of("t", thread, "n", n)));
          }
        }));
      }
      for (Thread pusher : pushers) {
        pusher.join();
      }
      for (CompletableFuture<Reply> reply : replies) {
        assertThat(It.get(reply).isOk()).isTrue();
      }
      List<String> seen = server.socket.events.stream().filter(e -> e.startsWith(topic + " echo ")).toList();
      assertThat(seen).hasSize(threads * each);
      List<JsonNode> payloads = seen.stream().map(e -> MAPPER.readTree(e.substring((topic + " echo ").length())))
          .toList();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        List<Integer> order = payloads.stream().filter(p -> p.get("t").asInt() == thread)
            .map(p -> p.get("n").asInt()).toList();
        assertThat(order).as("thread %d", t).containsExactlyElementsOf(IntStream.range(0, each).boxed().toList());
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"websocket", "longpoll"})
  void broadcastsReachTheHandlerInOrder(String transport) throws Exception {
    String topic = "room:bcast-order-" + transport;
    try (Socket socket = It.socket(server.url()).transport(transport(transport))
        .params(Map.of("token", "bcast-" + transport)).build()) {
      It.get(socket.connect());
      Channel room = It.joined(socket, topic);
      It.Recorder<Message> ticks = It.record(room, "tick");
      for (int n = 0; n < 300; n++) {
        server.broadcast(topic, "tick", Map.of("n", n));
      }
      assertThat(ticks.awaitCount(300)).extracting(m -> m.payload().json().get("n").asInt())
          .containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
    }
  }
}
