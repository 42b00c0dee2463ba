package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cinder.client.CloseEvent;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.Transports;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Connect, open and close listeners, disconnect, and what each (re)connect sends the server. */
class SocketLifecycleTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  @Test
  void openAndCloseListenersFireOnceAndDisconnectMeansNoReconnect() {
    try (Socket socket = It.socket(server.url()).params(Map.of("token", "life")).build()) {
      openCloseAndNoReconnect(socket);
    }
  }

  private static void openCloseAndNoReconnect(Socket socket) {
    It.Recorder<String> seen = new It.Recorder<>();
    socket.onOpen(() -> seen.add("open"));
    socket.onClose(e -> seen.add("close " + e.code() + " willReconnect=" + e.willReconnect()));

    socket.connect();
    It.get(socket.connect()); // idempotent: a second call joins the same attempt
    assertThat(socket.isConnected()).isTrue();
    assertThat(socket.transportName()).isEqualTo("websocket");
    assertThat(seen.awaitCount(1)).containsExactly("open");

    It.get(socket.disconnect());
    assertThat(socket.isConnected()).isFalse();
    assertThat(seen.awaitCount(2)).containsExactly("open", "close 1000 willReconnect=false");

    // Fence: a later socket's connect is the next one the server sees; the first never came back.
    try (Socket fence = It.connected(server.url(), "life-fence")) {
      assertThat(fence.isConnected()).isTrue();
      assertThat(server.socket.connectedUsers()).filteredOn(u -> u.startsWith("life"))
          .containsExactly("life", "life-fence");
    }
    assertThat(seen.all()).containsExactly("open", "close 1000 willReconnect=false");
  }

  @Test
  void closeDisconnectsAndWaits() {
    Socket socket = It.connected(server.url(), "closer");
    It.joined(socket, "room:closer");
    socket.close();
    assertThat(socket.isConnected()).isFalse();
    It.await("the server let go of the channel", () -> server.subscribers("room:closer") == 0);
  }

  @Test
  void theAuthTokenReachesTheServersConnectAsTheSubprotocol() {
    try (Socket socket = It.socket(server.url()).authToken(() -> "token-of-ada").build()) {
      It.get(socket.connect());
      Reply whoami = It.get(It.joined(socket, "room:auth").push("whoami", Map.of()));
      assertThat(whoami.isOk()).isTrue();
      assertThat(whoami.response().json().get("user").stringValue()).isEqualTo("token-of-ada");
      ItSocket.Connected connect = server.socket.connects.stream()
          .filter(c -> "token-of-ada".equals(c.user())).findFirst().orElseThrow();
      assertThat(connect.authToken()).isEqualTo("token-of-ada");
      assertThat(connect.params()).doesNotContainKey("token").containsEntry("vsn", "2.0.0");
    }
  }

  @Test
  void theParamsSupplierIsReadAgainOnEveryReconnect() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket"))
            .params(() -> Map.of("token", "rotating-" + calls.incrementAndGet())).build()) {
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onClose(closes::add);
      It.get(socket.connect());
      assertThat(server.socket.connectedUsers()).contains("rotating-1");

      proxy.drop();
      assertThat(closes.awaitCount(1).getFirst().willReconnect()).isTrue();
      It.await("a reconnect with a newer token", () -> socket.isConnected()
          && server.socket.connectedUsers().stream().anyMatch(u -> u.startsWith("rotating-") && !u.equals("rotating-1")));

      List<String> tokens = server.socket.connects.stream().map(ItSocket.Connected::user)
          .filter(u -> u.startsWith("rotating-")).toList();
      assertThat(tokens).as("each connect read the supplier afresh").doesNotHaveDuplicates();
      assertThat(tokens.getFirst()).isEqualTo("rotating-1");
      assertThat(tokens.getLast()).isEqualTo("rotating-" + calls.get());
      Reply whoami = It.get(It.joined(socket, "room:rotating").push("whoami", Map.of()));
      assertThat(whoami.response().json().get("user").stringValue()).isEqualTo(tokens.getLast());
    }
  }

  @Test
  void theAuthTokenSupplierIsReadAgainOnReconnect() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (FaultProxy proxy = new FaultProxy(server.port());
        Socket socket = It.socket(proxy.url("/socket")).authToken(() -> "bearer-" + calls.incrementAndGet()).build()) {
      It.get(socket.connect());
      proxy.drop();
      It.await("a reconnect with a newer auth token", () -> socket.isConnected()
          && server.socket.connects.stream().anyMatch(c -> c.authToken() != null
              && c.authToken().startsWith("bearer-") && !c.authToken().equals("bearer-1")));
    }
  }

  @Test
  void extraHeadersReachTheServerOverBothTransports() {
    for (var transport : List.of(Transports.webSocket(), Transports.longPoll())) {
      try (Socket socket = It.socket(server.url()).transport(transport).params(Map.of("token", "headers"))
          .headers(Map.of("X-Client-Test", "from-java")).build()) {
        It.get(socket.connect());
        ItSocket.Connected connect = server.socket.connects.stream().filter(c -> "headers".equals(c.user()))
            .reduce((a, b) -> b).orElseThrow();
        assertThat(connect.transport()).isEqualTo(socket.transportName());
        assertThat(connect.testHeader()).isEqualTo("from-java");
      }
    }
    assertThat(server.socket.connects).filteredOn(c -> "headers".equals(c.user()))
        .extracting(ItSocket.Connected::transport).containsExactly("websocket", "longpoll");
  }

  @Test
  void disconnectWhileReconnectingStopsTheAttempts() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port())) {
      Socket socket = It.connected(proxy.url("/socket"), "gives-up");
      It.Recorder<CloseEvent> closes = new It.Recorder<>();
      socket.onClose(closes::add);
      proxy.refuse();
      proxy.drop();
      closes.awaitCount(1);
      int attempts = proxy.accepted();
      It.await("a reconnect attempt was refused", () -> proxy.accepted() > attempts);
      It.get(socket.disconnect());
      assertThat(socket.isConnected()).isFalse();

      // Fence: once the proxy admits again, the next connect through it is a new socket's, not the old one's.
      int before = proxy.accepted();
      proxy.admit();
      try (Socket fence = It.connected(proxy.url("/socket"), "gives-up-fence")) {
        assertThat(fence.isConnected()).isTrue();
      }
      assertThat(server.socket.connectedUsers()).filteredOn(u -> u.startsWith("gives-up"))
          .containsExactly("gives-up", "gives-up-fence");
      assertThat(proxy.accepted() - before).as("connections after the disconnect: the fence's only").isEqualTo(1);
    }
  }

  @Test
  void aRefusedConnectIsRetriedAndTheSupplierCanFixIt() {
    AtomicInteger calls = new AtomicInteger();
    try (Socket socket = It.socket(server.url())
        .params(() -> Map.of("token", calls.incrementAndGet() <= 2 ? "refuse" : "renewed")).build()) {
      It.get(socket.connect());
      assertThat(socket.isConnected()).isTrue();
      Reply whoami = It.get(It.joined(socket, "room:renewed").push("whoami", Map.of()));
      assertThat(whoami.response().json().get("user").stringValue()).isEqualTo("renewed");
      assertThat(server.socket.connects.stream().filter(c -> "renewed".equals(c.user())).count()).isEqualTo(1);
      assertThat(calls.get()).isEqualTo(3);
    }
  }

  @Test
  void aListenerAddedOnceConnectCompletedIsNotCalledForThatOpen() {
    // Callbacks run inline, so what runs when connect() completes runs before anything the socket does next.
    try (Socket socket = It.socket(server.url()).params(Map.of("token", "late-listener"))
        .callbackExecutor(Runnable::run).build()) {
      It.Recorder<String> early = new It.Recorder<>();
      It.Recorder<String> late = new It.Recorder<>();
      socket.onOpen(() -> early.add("open"));
      It.get(socket.connect().thenRun(() -> socket.onOpen(() -> late.add("open"))));
      assertThat(early.awaitCount(1)).containsExactly("open");
      // Fence: a push round trip; the open callbacks were run long before its reply.
      assertThat(It.get(It.joined(socket, "room:late-listener").push("echo", Map.of())).isOk()).isTrue();
      assertThat(late.all()).as("called for an open that happened before it was added").isEmpty();
    }
  }

  @Test
  void closingASocketThatCannotConnectFailsItsConnectAndReturns() throws Exception {
    try (FaultProxy proxy = new FaultProxy(server.port())) {
      proxy.refuse();
      Socket socket = It.socket(proxy.url("/socket")).params(Map.of("token", "unreachable")).build();
      var connecting = socket.connect();
      It.await("a refused attempt", () -> proxy.accepted() >= 2);
      socket.close();
      assertThat(socket.isConnected()).isFalse();
      assertThatThrownBy(() -> connecting.get(10, TimeUnit.SECONDS)).as("the pending connect() fails")
          .isInstanceOf(ExecutionException.class);
      int attempts = proxy.accepted();
      // Fence: a new socket's connect through the proxy is the only connection after the close.
      proxy.admit();
      try (Socket fence = It.connected(proxy.url("/socket"), "unreachable-fence")) {
        assertThat(fence.isConnected()).isTrue();
      }
      assertThat(proxy.accepted() - attempts).isEqualTo(1);
      assertThat(server.socket.connectsOf("unreachable")).isZero();
    }
  }
}
