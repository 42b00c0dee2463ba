package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.History;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in transports against a real Cinder server: a quick check of the wire for this module's own
 * development (the full behaviour is covered by the integration tests in the {@code it} package).
 */
class RealServerSmokeTest {
  private static Endpoint wsAndLongPoll;
  private static Endpoint longPollOnly;

  /** Echoes "echo" pushes; "shout" broadcasts to the topic. Connect needs user=... or an auth token. */
  static final class EchoSocket implements SocketHandler {
    @Override
    public void routes(Routes routes) {
      routes.channel("room:*", EchoChannel::new, History.of(100, Duration.ofMinutes(5)));
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      String user = params.get("user") != null ? params.get("user") : info.authToken();
      return user == null ? Connect.refuse() : Connect.ok(Map.of("user", user));
    }

    @Override
    public String id(dev.cinder.Assigns assigns) {
      return "echo:" + assigns.<String>get("user");
    }
  }

  static final class EchoChannel implements Channel {
    @Override
    public Join join(String topic, dev.cinder.Payload params, ChannelContext ctx) {
      return Join.ok(Map.of("user", ctx.assigns().get("user")));
    }

    @Override
    public dev.cinder.Reply handleIn(String event, dev.cinder.Payload payload, ChannelContext ctx) {
      if (event.equals("shout")) {
        ctx.broadcast("shouted", payload);
        return dev.cinder.Reply.ok();
      }
      return dev.cinder.Reply.ok(payload);
    }
  }

  @BeforeAll
  static void start() {
    wsAndLongPoll = server(SocketOptions.defaults().longPoll(true));
    longPollOnly = server(SocketOptions.defaults().longPoll(true).websocket(false));
  }

  private static Endpoint server(SocketOptions options) {
    return Endpoint.builder().host("127.0.0.1").port(0).secretKeyBase("a".repeat(64))
        .socket("/socket", new EchoSocket(), options).build().start();
  }

  @AfterAll
  static void stop() {
    wsAndLongPoll.close();
    longPollOnly.close();
  }

  private static String url(Endpoint endpoint) {
    return "ws://127.0.0.1:" + endpoint.port() + "/socket";
  }

  @Test
  void webSocketJoinsEchoesJsonAndBinaryAndReceivesBroadcasts() throws Exception {
    try (Socket socket = Socket.builder(url(wsAndLongPoll)).authToken(() -> "ann").build()) {
      socket.connect().get(10, TimeUnit.SECONDS);
      assertThat(socket.transportName()).isEqualTo("websocket");
      dev.cinder.client.Channel channel = socket.channel("room:1");
      BlockingQueue<Message> shouted = new LinkedBlockingQueue<>();
      channel.on("shouted", shouted::add);
      Reply joined = channel.join().get(10, TimeUnit.SECONDS);
      assertThat(joined.isOk()).isTrue();
      assertThat(joined.response().json().get("user").asString()).isEqualTo("ann");
      assertThat(channel.push("echo", Map.of("body", "hi")).get(10, TimeUnit.SECONDS).response().json().toString())
          .isEqualTo("{\"body\":\"hi\"}");
      Reply binary = channel.push("echo", new byte[] {1, 2, 3}).get(10, TimeUnit.SECONDS);
      assertThat(binary.status()).isEqualTo("ok");
      assertThat(binary.response().bytes()).containsExactly(1, 2, 3);
      channel.push("shout", Map.of("n", 1));
      assertThat(shouted.poll(10, TimeUnit.SECONDS).payload().json().get("n").asInt()).isEqualTo(1);
    }
  }

  @Test
  void longPollJoinsAndEchoesInBatches() throws Exception {
    try (Socket socket = Socket.builder(url(wsAndLongPoll)).params(Map.of("user", "bob"))
        .transport(Transports.longPoll()).build()) {
      socket.connect().get(10, TimeUnit.SECONDS);
      assertThat(socket.transportName()).isEqualTo("longpoll");
      dev.cinder.client.Channel channel = socket.channel("room:2");
      assertThat(channel.join().get(10, TimeUnit.SECONDS).isOk()).isTrue();
      var replies = new java.util.ArrayList<java.util.concurrent.CompletableFuture<Reply>>();
      for (int i = 0; i < 150; i++) {
        replies.add(channel.push("echo", Map.of("n", i)));
      }
      for (int i = 0; i < 150; i++) {
        assertThat(replies.get(i).get(10, TimeUnit.SECONDS).response().json().get("n").asInt()).isEqualTo(i);
      }
    }
  }

  @Test
  void fallsBackToLongPollWhenTheWebSocketIsRefused() throws Exception {
    try (Socket socket = Socket.builder(url(longPollOnly)).params(Map.of("user", "cy"))
        .longPollFallback(Duration.ofSeconds(5)).build()) {
      BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
      socket.onError(errors::add);
      socket.connect().get(10, TimeUnit.SECONDS);
      assertThat(errors.poll(10, TimeUnit.SECONDS)).as("the refused upgrade is reported")
          .isInstanceOf(java.io.IOException.class).hasMessage("WebSocket upgrade refused with HTTP status 404");
      assertThat(socket.transportName()).isEqualTo("longpoll");
      dev.cinder.client.Channel channel = socket.channel("room:3");
      assertThat(channel.join().get(10, TimeUnit.SECONDS).isOk()).isTrue();
    }
  }

  @Test
  void aLongPollSessionEndedByTheServerReconnectsAndRejoins() throws Exception {
    try (Socket socket = Socket.builder(url(wsAndLongPoll)).params(Map.of("user", "dee"))
        .transport(Transports.longPoll()).build()) {
      BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
      socket.onClose(closes::add);
      socket.connect().get(10, TimeUnit.SECONDS);
      dev.cinder.client.Channel channel = socket.channel("room:4");
      assertThat(channel.join().get(10, TimeUnit.SECONDS).isOk()).isTrue();
      BlockingQueue<String> opens = new LinkedBlockingQueue<>();
      socket.onOpen(() -> opens.add("open"));

      wsAndLongPoll.broadcast("echo:dee", "disconnect", Map.of()); // ends the session: its next poll gets 410
      assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo(new CloseEvent(3410, "session_gone", true));
      assertThat(opens.poll(10, TimeUnit.SECONDS)).isEqualTo("open");
      Reply echo = channel.push("echo", Map.of("back", true)).get(10, TimeUnit.SECONDS); // waits for the rejoin
      assertThat(echo.response().json().get("back").asBoolean()).isTrue();
      assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
    }
  }

  @Test
  void protocolOneOverLongPollSendsEachFrameInItsOwnPost() throws Exception {
    try (Socket socket = Socket.builder(url(wsAndLongPoll)).params(Map.of("user", "eve"))
        .protocol(Protocol.V1_JSON).transport(Transports.longPoll()).build()) {
      socket.connect().get(10, TimeUnit.SECONDS);
      dev.cinder.client.Channel channel = socket.channel("room:5");
      assertThat(channel.join().get(10, TimeUnit.SECONDS).isOk()).isTrue();
      var first = channel.push("echo", Map.of("n", 1));
      var second = channel.push("echo", Map.of("n", 2));
      assertThat(first.get(10, TimeUnit.SECONDS).response().json().get("n").asInt()).isEqualTo(1);
      assertThat(second.get(10, TimeUnit.SECONDS).response().json().get("n").asInt()).isEqualTo(2);
    }
  }
}
