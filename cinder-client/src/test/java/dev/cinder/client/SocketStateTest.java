package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.client.ScriptedTransports.Scripted;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The socket and channel state machines, with the test playing the server through a scripted transport. */
class SocketStateTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final ScriptedTransports transports = new ScriptedTransports();
  private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
  private Socket socket;

  private Socket.Builder builder() {
    return Socket.builder("ws://example.test/socket").transport(transports)
        .heartbeatInterval(Duration.ofHours(1))
        .reconnectBackoff(Backoff.fixed(Duration.ZERO)).rejoinBackoff(Backoff.fixed(Duration.ZERO));
  }

  private Scripted connect(Socket.Builder builder) throws Exception {
    socket = builder.build();
    socket.onError(errors::add);
    CompletableFuture<Void> connected = socket.connect();
    Scripted attempt = transports.next();
    attempt.listener.onOpen();
    connected.get(10, TimeUnit.SECONDS);
    return attempt;
  }

  @AfterEach
  void close() {
    if (socket != null) {
      socket.close();
    }
  }

  @Test
  void sendsVsnParamsAndTheAuthTokenAndRereadsThemOnReconnect() throws Exception {
    AtomicInteger generation = new AtomicInteger();
    Scripted first = connect(builder().params(() -> Map.of("token", "t" + generation.incrementAndGet()))
        .authToken(() -> "secret-" + generation.get()));
    assertThat(first.request.query()).containsExactly(Map.entry("token", "t1"), Map.entry("vsn", "2.0.0"));
    assertThat(first.request.subprotocols()).containsExactly("phoenix", "base64url.bearer.phx.c2VjcmV0LTE");
    assertThat(first.request.endpoint().toString()).isEqualTo("ws://example.test/socket");

    BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
    socket.onClose(closes::add);
    first.listener.onClose(1001, "idle timeout");
    assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo(new CloseEvent(1001, "idle timeout", true));
    Scripted second = transports.next();
    assertThat(second.request.query()).containsEntry("token", "t2");
    assertThat(second.request.subprotocols()).containsExactly("phoenix", "base64url.bearer.phx.c2VjcmV0LTI");
  }

  @Test
  void pushesMadeBeforeTheJoinWaitAndGoOutAfterItWithTheJoinRef() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("room:1", () -> Map.of("name", "ann"));
    CompletableFuture<Reply> joined = channel.join();
    CompletableFuture<Reply> early = channel.push("new_msg", Map.of("body", "hi"));
    JsonNode join = JSON.readTree(server.nextText());
    assertThat(join.get(2).asString()).isEqualTo("room:1");
    assertThat(join.get(3).asString()).isEqualTo("phx_join");
    assertThat(join.get(4).toString()).isEqualTo("{\"name\":\"ann\"}");
    String joinRef = join.get(1).asString();
    assertThat(join.get(0).asString()).isEqualTo(joinRef);
    assertThat(server.sent).isEmpty(); // the push waits for the join

    server.listener.onText("[\"" + joinRef + "\",\"" + joinRef
        + "\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"welcome\":1}}]");
    assertThat(joined.get(10, TimeUnit.SECONDS).response().json().get("welcome").asInt()).isEqualTo(1);
    JsonNode push = JSON.readTree(server.nextText());
    assertThat(push.get(0).asString()).isEqualTo(joinRef);
    assertThat(push.get(3).asString()).isEqualTo("new_msg");
    server.listener.onText("[\"" + joinRef + "\",\"" + push.get(1).asString()
        + "\",\"room:1\",\"phx_reply\",{\"status\":\"error\",\"response\":{\"reason\":\"nope\"}}]");
    Reply reply = early.get(10, TimeUnit.SECONDS);
    assertThat(reply.isOk()).isFalse();
    assertThat(reply.status()).isEqualTo("error");
    assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
  }

  @Test
  void aBufferedPushFailsOnItsTimeoutAndIsNeverSent() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("room:1");
    channel.join();
    String joinRef = JSON.readTree(server.nextText()).get(1).asString();
    CompletableFuture<Reply> push = channel.push("late", Map.of(), Duration.ofMillis(20));
    assertThatThrownBy(() -> push.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(PushTimeoutException.class).hasMessageContaining("late");
    server.ok(joinRef, joinRef, "room:1");
    CompletableFuture<Reply> fence = channel.push("fence", Map.of());
    assertThat(JSON.readTree(server.nextText()).get(3).asString()).isEqualTo("fence");
    assertThat(fence).isNotDone();
  }

  @Test
  void pushBeforeJoinFailsAndBinaryNeedsV2() throws Exception {
    connect(builder().protocol(Protocol.V1_JSON));
    Channel channel = socket.channel("room:1");
    assertThatThrownBy(() -> channel.push("e", Map.of()).get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("join");
    channel.join();
    assertThatThrownBy(() -> channel.push("e", new byte[] {1}).get(10, TimeUnit.SECONDS)).cause()
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("V2");
  }

  @Test
  void binaryPushesAndRepliesRoundTrip() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("t");
    channel.join();
    String joinRef = JSON.readTree(server.nextText()).get(1).asString();
    server.ok(joinRef, joinRef, "t");
    CompletableFuture<Reply> push = channel.push("up", java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}));
    byte[] frame = server.nextBinary();
    String ref = new String(frame, 5 + joinRef.length(), frame[2], java.nio.charset.StandardCharsets.UTF_8);
    String lengths = String.format("%02x%02x", joinRef.length(), ref.length());
    assertThat(HexFormat.of().formatHex(frame)).startsWith("00" + lengths + "0102")
        .endsWith("7475" + "70" + "010203");
    // the reply as a binary frame: kind 1, join_ref, ref, topic "t", status "ok", payload 09
    byte[] reply = HexFormat.of().parseHex("01" + lengths + "0102" + HexFormat.of().formatHex(joinRef.getBytes())
        + HexFormat.of().formatHex(ref.getBytes()) + "74" + "6f6b" + "09");
    server.listener.onBinary(java.nio.ByteBuffer.wrap(reply));
    Reply answer = push.get(10, TimeUnit.SECONDS);
    assertThat(answer.status()).isEqualTo("ok");
    assertThat(answer.response().bytes()).containsExactly(9);
  }

  @Test
  void malformedFramesAreReportedAndDroppedAndTheConnectionStaysUp() throws Exception {
    Scripted server = connect(builder());
    BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    socket.onMessage(messages::add);
    for (String bad : List.of("{", "{}", "[1,2]", "[null,null,7,\"e\",{}]")) {
      server.listener.onText(bad);
    }
    server.listener.onBinary(java.nio.ByteBuffer.wrap(new byte[] {9, 9}));
    server.listener.onBinary(java.nio.ByteBuffer.wrap(new byte[] {2, 1, (byte) 200, 't'}));
    server.listener.onText("[null,null,\"fence\",\"e\",{}]");
    assertThat(messages.poll(10, TimeUnit.SECONDS).topic()).isEqualTo("fence");
    assertThat(socket.isConnected()).isTrue();
    List<String> reported = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      Throwable error = errors.poll(10, TimeUnit.SECONDS);
      assertThat(error).isNotNull();
      reported.add(error.getMessage());
    }
    assertThat(reported).allSatisfy(m -> assertThat(m).startsWith("malformed frame from the server"));
    assertThat(reported).anySatisfy(m -> assertThat(m).contains("unknown kind 9"));
    assertThat(reported).anySatisfy(m -> assertThat(m).contains("past the end"));
  }

  @Test
  void messagesOfAnEarlierJoinAreDroppedAndErrorsRejoinWithANewJoinRef() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("room:1");
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    channel.on("msg", m -> seen.add(m.payload().json().get("n").asString()));
    BlockingQueue<Throwable> channelErrors = new LinkedBlockingQueue<>();
    channel.onError(channelErrors::add);
    channel.join();
    String first = JSON.readTree(server.nextText()).get(1).asString();
    server.ok(first, first, "room:1");
    server.listener.onText("[\"" + first + "\",\"" + first
        + "\",\"room:1\",\"phx_error\",{\"reason\":\"channel_crash\"}]");
    assertThat(channelErrors.poll(10, TimeUnit.SECONDS)).hasMessageContaining("channel_crash");
    JsonNode rejoin = JSON.readTree(server.nextText());
    assertThat(rejoin.get(3).asString()).isEqualTo("phx_join");
    String second = rejoin.get(1).asString();
    assertThat(second).isNotEqualTo(first);
    server.ok(second, second, "room:1");
    server.listener.onText("[\"" + first + "\",null,\"room:1\",\"msg\",{\"n\":\"stale\"}]");
    server.listener.onText("[\"" + second + "\",null,\"room:1\",\"msg\",{\"n\":\"current\"}]");
    server.listener.onText("[null,null,\"room:1\",\"msg\",{\"n\":\"broadcast\"}]");
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("current");
    assertThat(seen.poll(10, TimeUnit.SECONDS)).isEqualTo("broadcast");
    assertThat(channel.state()).isEqualTo(ChannelState.JOINED);
  }

  @Test
  void aRecoveringChannelAsksWithItsLastPositionOnRejoin() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("room:1", () -> Map.of("user", "u")).recover();
    BlockingQueue<Recovery> recoveries = new LinkedBlockingQueue<>();
    channel.onRecovery(recoveries::add);
    BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    channel.on("new_msg", messages::add);
    channel.on("phx_position", messages::add);
    CompletableFuture<Reply> joined = channel.join();
    JsonNode join = JSON.readTree(server.nextText());
    assertThat(join.get(4).toString()).isEqualTo("{\"user\":\"u\",\"recover\":true}");
    String ref = join.get(1).asString();
    server.reply(ref, ref, "room:1", "ok",
        "{\"recovery\":{\"recovered\":false,\"position\":\"ep:4\",\"reason\":\"no_position\"}}");
    assertThat(joined.get(10, TimeUnit.SECONDS).response().json().toString())
        .isEqualTo("{\"recovery\":{\"recovered\":false,\"position\":\"ep:4\",\"reason\":\"no_position\"}}");
    assertThat(recoveries.poll(10, TimeUnit.SECONDS)).isEqualTo(new Recovery(false, "ep:4", "no_position"));
    assertThat(channel.position()).contains("ep:4");
    server.listener.onText("[null,\"ep:5\",\"room:1\",\"new_msg\",{}]");
    server.listener.onText("[null,\"ep:6\",\"room:1\",\"phx_position\",{}]");
    server.listener.onText("[null,null,\"room:1\",\"new_msg\",{\"fence\":true}]");
    assertThat(messages.poll(10, TimeUnit.SECONDS).ref()).isEqualTo("ep:5");
    assertThat(messages.poll(10, TimeUnit.SECONDS).payload().json().has("fence")).isTrue();
    assertThat(channel.position()).contains("ep:6");

    server.listener.onClose(1001, "idle timeout");
    Scripted again = transports.next();
    again.listener.onOpen();
    JsonNode rejoin = JSON.readTree(again.nextText());
    assertThat(rejoin.get(4).toString()).isEqualTo("{\"user\":\"u\",\"recover\":\"ep:6\"}");
    String ref2 = rejoin.get(1).asString();
    again.reply(ref2, ref2, "room:1", "ok", "{\"recovery\":{\"recovered\":true,\"position\":\"ep:9\"}}");
    assertThat(recoveries.poll(10, TimeUnit.SECONDS)).isEqualTo(new Recovery(true, "ep:9", null));
    assertThat(channel.lastRecovery()).contains(new Recovery(true, "ep:9", null));
    assertThat(channel.position()).contains("ep:6"); // recovered: the replayed broadcasts move it on
  }

  @Test
  void anUnansweredHeartbeatClosesAndReconnects() throws Exception {
    Scripted server = connect(builder().heartbeatInterval(Duration.ofMillis(20)));
    BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
    socket.onClose(closes::add);
    Object heartbeat = server.sent.poll(10, TimeUnit.SECONDS);
    assertThat((String) heartbeat).matches("\\[null,\"\\d+\",\"phoenix\",\"heartbeat\",\\{\\}\\]");
    assertThat(server.nextClose()).isEqualTo("1000 heartbeat timeout");
    assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo(new CloseEvent(1000, "heartbeat timeout", true));
    transports.next(); // reconnects
  }

  @Test
  void anAnsweredHeartbeatKeepsTheConnection() throws Exception {
    // each reply must come before the next heartbeat is due: an interval generous enough for a busy machine
    Scripted server = connect(builder().heartbeatInterval(Duration.ofMillis(300)));
    for (int i = 0; i < 3; i++) {
      JsonNode heartbeat = JSON.readTree((String) server.sent.poll(10, TimeUnit.SECONDS));
      assertThat(heartbeat.get(3).asString()).isEqualTo("heartbeat");
      server.ok(null, heartbeat.get(1).asString(), "phoenix");
    }
    assertThat(server.closes).isEmpty();
    assertThat(socket.isConnected()).isTrue();
  }

  @Test
  void aThrowingCallbackIsReportedAndTheSocketGoesOn() throws Exception {
    Scripted server = connect(builder());
    BlockingQueue<Message> after = new LinkedBlockingQueue<>();
    socket.onMessage(m -> {
      throw new IllegalStateException("boom in a callback");
    });
    socket.onMessage(after::add);
    server.listener.onText("[null,null,\"t\",\"e\",{}]");
    assertThat(errors.poll(10, TimeUnit.SECONDS)).hasMessage("boom in a callback");
    assertThat(after.poll(10, TimeUnit.SECONDS).topic()).isEqualTo("t");
  }

  @Test
  void leaveSendsPhxLeaveAndClosesTheChannel() throws Exception {
    Scripted server = connect(builder());
    Channel channel = socket.channel("room:1");
    CompletableFuture<Void> closed = new CompletableFuture<>();
    channel.onClose(() -> closed.complete(null));
    channel.join();
    String joinRef = JSON.readTree(server.nextText()).get(1).asString();
    server.ok(joinRef, joinRef, "room:1");
    CompletableFuture<Reply> left = channel.leave();
    JsonNode leave = JSON.readTree(server.nextText());
    assertThat(leave.get(0).asString()).isEqualTo(joinRef);
    assertThat(leave.get(3).asString()).isEqualTo("phx_leave");
    server.listener.onText("[\"" + joinRef + "\",\"" + leave.get(1).asString()
        + "\",\"room:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
    assertThat(left.get(10, TimeUnit.SECONDS).isOk()).isTrue();
    assertThat(channel.state()).isEqualTo(ChannelState.CLOSED); // already when leave() completes
    closed.get(10, TimeUnit.SECONDS);
  }

  @Test
  void disconnectClosesWith1000AndDoesNotReconnect() throws Exception {
    Scripted server = connect(builder());
    BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
    socket.onClose(closes::add);
    CompletableFuture<Void> done = socket.disconnect();
    assertThat(server.nextClose()).isEqualTo("1000 ");
    done.get(10, TimeUnit.SECONDS);
    assertThat(socket.isConnected()).isFalse(); // already when disconnect() completes
    assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo(new CloseEvent(1000, "", false));
    assertThat(socket.isConnected()).isFalse();
    assertThat(transports.opened).isEmpty();
  }

  @Test
  void aBlockingCallbackDelaysOnlyItsOwnSocket() throws Exception {
    Scripted server = connect(builder());
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    CompletableFuture<String> blockedOn = new CompletableFuture<>();
    socket.onMessage(m -> {
      blockedOn.complete(Thread.currentThread().getName());
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.listener.onText("[null,null,\"t\",\"block\",{}]");
    assertThat(blockedOn.get(10, TimeUnit.SECONDS)).startsWith("cinder-client-callbacks-");
    try (Socket other = builder().build()) {
      CompletableFuture<Void> otherOpen = other.connect();
      transports.next().listener.onOpen();
      otherOpen.get(10, TimeUnit.SECONDS); // the other socket's callbacks still run
      // and this socket's loop goes on: it still answers pushes while its callbacks wait
      Channel channel = socket.channel("room:1");
      channel.join();
      assertThat(JSON.readTree(server.nextText()).get(3).asString()).isEqualTo("phx_join");
    } finally {
      release.countDown();
    }
  }

  @Test
  void anOpenListenerAddedOnceConnectedHearsOnlyLaterOpens() throws Exception {
    for (int round = 0; round < 20; round++) {
      Scripted server = connect(builder());
      BlockingQueue<String> opens = new LinkedBlockingQueue<>();
      socket.onOpen(() -> opens.add("open"));
      BlockingQueue<CloseEvent> closes = new LinkedBlockingQueue<>();
      socket.onClose(closes::add);
      server.listener.onClose(1012, "server restart");
      assertThat(closes.poll(10, TimeUnit.SECONDS)).isNotNull();
      transports.next().listener.onOpen();
      assertThat(opens.poll(10, TimeUnit.SECONDS)).isEqualTo("open");
      socket.disconnect().get(10, TimeUnit.SECONDS);
      assertThat(opens).as("round %d: the first open was not heard", round).isEmpty();
      socket.close();
    }
  }

  @Test
  void closeFromInsideACallbackDoesNotWaitForItself() throws Exception {
    Scripted server = connect(builder());
    CompletableFuture<Void> closed = new CompletableFuture<>();
    socket.onMessage(m -> {
      socket.close();
      closed.complete(null);
    });
    server.listener.onText("[null,null,\"t\",\"bye\",{}]");
    // close() gives up after 5 s; waiting for its own callback thread it would return only then
    closed.get(4, TimeUnit.SECONDS);
    assertThat(server.nextClose()).isEqualTo("1000 ");
    assertThat(socket.isConnected()).isFalse();
  }

  @Test
  void whenCloseReturnsAPendingConnectHasFailed() throws Exception {
    for (int round = 0; round < 20; round++) {
      socket = builder().build();
      CompletableFuture<Void> connecting = socket.connect();
      transports.next(); // never opens
      socket.close();
      assertThat(connecting).as("round %d", round).isCompletedExceptionally();
      assertThatThrownBy(connecting::get).cause().isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("disconnected before");
    }
  }
}
