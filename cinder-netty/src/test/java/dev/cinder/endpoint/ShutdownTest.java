package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.cinder.SocketOptions;
import dev.cinder.telemetry.TelemetryListener;
import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Closing an endpoint drains it: no new connections, the open sockets closed in batches with 1012 ("come back
 * later", after what was queued for them), and close() returns once every channel's terminate has run.
 */
class ShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final int CLIENTS = 40;
  private static final int BATCH = 9;

  /** One drain batch as the telemetry event reported it, with how many clients had read their close by then. */
  private record Batch(int batch, int batches, int count, int total, long closedBefore) {}

  @Test
  void closingTheEndpointClosesSocketsWithServiceRestart() throws Exception {
    TestServer server = new TestServer();
    RawWebSocket a = RawWebSocket.connect(server.wsUrl("user=a&vsn=2.0.0"));
    RawWebSocket b = RawWebSocket.connect(server.wsUrl("user=b&vsn=2.0.0"));
    a.sendText("[\"1\",\"1\",\"test:drain\",\"phx_join\",{}]");
    assertThat(a.nextText(WAIT)).contains("\"ok\"");
    server.close();
    assertThat(a.awaitClose(WAIT)).isEqualTo(1012);
    assertThat(b.awaitClose(WAIT)).isEqualTo(1012);
    assertThat(server.socket.terminations).contains("test:drain:SOCKET_CLOSED"); // close() waited for it
    a.close();
    b.close();
  }

  @Test
  void socketsCloseInBatchesAfterWhatWasQueuedAndCloseReturnsAfterEveryTerminate() throws Exception {
    List<RawWebSocket> clients = new ArrayList<>();
    List<Batch> batches = new CopyOnWriteArrayList<>();
    dev.cinder.telemetry.Telemetry telemetry = new dev.cinder.telemetry.Telemetry();
    telemetry.addListener(new TelemetryListener() {
      @Override
      public void socketDrain(int batch, int of, int count, int total) {
        batches.add(new Batch(batch, of, count, total, clients.stream().filter(RawWebSocket::isClosed).count()));
      }
    });
    DrainOptions drain = DrainOptions.defaults().batchSize(BATCH).batchInterval(Duration.ofMillis(20));
    TestServer server = new TestServer(SocketOptions.defaults(), b -> b.telemetry(telemetry).drain(drain));
    for (int i = 0; i < CLIENTS; i++) {
      RawWebSocket client = RawWebSocket.connect(server.wsUrl("user=u" + i + "&vsn=2.0.0"));
      client.sendText("[\"1\",\"1\",\"test:d" + i + "\",\"phx_join\",{}]");
      assertThat(client.nextText(WAIT)).contains("\"ok\"");
      clients.add(client);
    }
    clients.getFirst().sendText("[\"2\",\"2\",\"test:slow_terminate\",\"phx_join\",{}]");
    assertThat(clients.getFirst().nextText(WAIT)).contains("\"ok\"");
    assertThat(server.endpoint.drainStatus()).isEqualTo(new DrainStatus(DrainStatus.Phase.SERVING, CLIENTS, 0));
    for (int i = 0; i < CLIENTS; i++) {
      server.endpoint.broadcast("test:d" + i, "bye", Map.of("n", i)); // queued for each client as close() begins
    }

    server.close();

    List<String> terminated = List.copyOf(server.socket.terminations);
    for (int i = 0; i < CLIENTS; i++) {
      assertThat(terminated).contains("test:d" + i + ":SOCKET_CLOSED");
    }
    assertThat(terminated).contains("test:slow_terminate:SOCKET_CLOSED");
    assertThat(server.endpoint.drainStatus()).isEqualTo(new DrainStatus(DrainStatus.Phase.STOPPED, 0, 5));
    assertThat(batches).extracting(Batch::batch, Batch::batches, Batch::count, Batch::total).containsExactly(
        tuple(1, 5, 9, 40), tuple(2, 5, 9, 40), tuple(3, 5, 9, 40), tuple(4, 5, 9, 40), tuple(5, 5, 4, 40));
    for (Batch batch : batches) { // no close reached a client before its batch was sent
      assertThat(batch.closedBefore()).isLessThanOrEqualTo((long) BATCH * (batch.batch() - 1));
    }
    for (int i = 0; i < CLIENTS; i++) {
      RawWebSocket client = clients.get(i);
      assertThat(client.nextText(WAIT)).isEqualTo("[null,null,\"test:d" + i + "\",\"bye\",{\"n\":" + i + "}]");
      assertThat(client.awaitClose(WAIT)).isEqualTo(1012);
      client.close();
    }
  }

  @Test
  void whileDrainingNewSocketsAreRefusedAndTheStateSaysDraining() throws Exception {
    TestServer server = new TestServer(SocketOptions.defaults().longPoll(true),
        b -> b.drain(DrainOptions.defaults().batchSize(1).batchInterval(Duration.ZERO)));
    int port = server.endpoint.port();
    RawWebSocket held = RawWebSocket.connect(server.wsUrl("user=held&vsn=2.0.0"));
    held.sendText("[\"1\",\"1\",\"test:hold\",\"phx_join\",{}]");
    assertThat(held.nextText(WAIT)).contains("\"ok\"");
    held.sendText("[\"1\",\"2\",\"test:hold\",\"block\",{}]"); // its handleIn waits, so its terminate must wait too
    assertThat(server.socket.blocking.await(5, TimeUnit.SECONDS)).isTrue();
    LongPollHttp longPoll = new LongPollHttp(port);
    String token = longPoll.open("lp").body().path("token").asString();
    assertThat(longPoll.post(token, "[\"1\",\"1\",\"test:lp\",\"phx_join\",{}]").status()).isEqualTo(200);
    assertThat(longPoll.poll(token).body().path("messages").get(0).asString()).contains("\"ok\"");
    server.endpoint.broadcast("test:lp", "bye", Map.of()); // buffered: no poll is held
    RawHttp upgrade = keptAlive(port);
    RawHttp newSession = keptAlive(port);
    RawHttp oldSession = keptAlive(port);

    CompletableFuture<Void> closed = CompletableFuture.runAsync(server::close);
    assertThat(held.awaitClose(WAIT)).isEqualTo(1012);
    // The long-poll session's client takes what was buffered for it; its next poll finds the session gone.
    oldSession.send("GET /socket/longpoll?vsn=2.0.0&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(oldSession.read().body()).contains("\"status\":200").contains("[null,null,\\\"test:lp\\\",\\\"bye\\\",{}]");
    oldSession.send("GET /socket/longpoll?vsn=2.0.0&token=" + token + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(oldSession.read().body()).contains("\"status\":410");
    await().atMost(WAIT).until(() -> server.endpoint.drainStatus().socketsLeft() == 1); // the long-poll session ended
    assertThat(server.endpoint.drainStatus()).isEqualTo(new DrainStatus(DrainStatus.Phase.DRAINING, 1, 2));

    assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    upgrade.send("GET /socket/websocket?user=late&vsn=2.0.0 HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n"
        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    assertThat(upgrade.read().status()).isEqualTo(503);
    newSession.send("GET /socket/longpoll?user=late&vsn=2.0.0 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(newSession.read().status()).isEqualTo(503);
    assertThat(closed).isNotDone(); // the held channel has not ended

    server.socket.unblock.countDown();
    closed.get(10, TimeUnit.SECONDS);
    assertThat(server.socket.terminations).contains("test:hold:SOCKET_CLOSED");
    assertThat(server.endpoint.drainStatus()).isEqualTo(new DrainStatus(DrainStatus.Phase.STOPPED, 0, 2));
    for (AutoCloseable c : List.of(held, upgrade, newSession, oldSession)) {
      c.close();
    }
  }

  /** A connection that answered one request and stays open, as a load balancer's pooled connection does. */
  private static RawHttp keptAlive(int port) throws Exception {
    RawHttp http = RawHttp.connect(port);
    http.send("GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    assertThat(http.read().status()).isEqualTo(200);
    return http;
  }
}
