package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.cinder.client.Channel;
import dev.cinder.client.ChannelState;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import dev.cinder.client.TransportFactory;
import dev.cinder.client.Transports;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Endpoints in every scheme the builder takes, params that need encoding, and a socket used again. */
class EndpointAndParamsTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  private static String user(Socket socket, String topic) {
    Reply whoami = It.get(It.joined(socket, topic).push("whoami", Map.of()));
    return whoami.response().json().get("user").stringValue();
  }

  @Test
  void paramsThatNeedEncodingArriveExactly() {
    String token = "a b&c=d/é?x+y%20z#frag😀";
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("token", token);
    params.put("n", 42);
    params.put("flag", true);
    for (TransportFactory transport : List.of(Transports.webSocket(), Transports.longPoll())) {
      try (Socket socket = It.socket(server.url()).transport(transport).params(params).build()) {
        It.get(socket.connect());
        assertThat(user(socket, "room:encoding")).isEqualTo(token);
      }
    }
    assertThat(server.socket.connects).filteredOn(c -> token.equals(c.user())).hasSize(2)
        .allSatisfy(c -> assertThat(c.params()).containsEntry("n", "42").containsEntry("flag", "true"));
  }

  @Test
  void everySchemeOfTheEndpointWorksWithEitherTransport() {
    String hostPort = "127.0.0.1:" + server.port() + "/socket";
    for (String endpoint : List.of("ws://" + hostPort, "http://" + hostPort, "ws://" + hostPort + "/")) {
      for (TransportFactory transport : List.of(Transports.webSocket(), Transports.longPoll())) {
        String token = "scheme-" + endpoint.hashCode() + "-" + transport.hashCode();
        try (Socket socket = It.socket(endpoint).transport(transport).params(Map.of("token", token)).build()) {
          It.get(socket.connect());
          assertThat(user(socket, "room:scheme")).as("%s over %s", endpoint, socket.transportName())
              .isEqualTo(token);
        }
      }
    }
  }

  @Test
  void aSocketConnectsAgainAfterADisconnectAndItsChannelsRejoin() {
    try (Socket socket = It.connected(server.url(), "again")) {
      Channel room = It.joined(socket, "room:again");
      It.get(socket.disconnect());
      assertThat(socket.isConnected()).isFalse();
      It.await("the server let go", () -> server.subscribers("room:again") == 0);

      It.get(socket.connect());
      assertThat(socket.isConnected()).isTrue();
      It.await("rejoined", () -> room.state() == ChannelState.JOINED && server.subscribers("room:again") == 1);
      assertThat(It.get(room.push("echo", Map.of("n", 1))).isOk()).isTrue();
      assertThat(server.socket.connectsOf("again")).isEqualTo(2);
    }
  }

  @Test
  void closingASocketThatNeverConnectedReturns() {
    Socket socket = It.socket(server.url()).params(Map.of("token", "never")).build();
    socket.close();
    assertThat(socket.isConnected()).isFalse();
    assertThat(server.socket.connectsOf("never")).isZero();
  }

  @Test
  void manySocketsShareOneHttpClientOverBothTransports() {
    HttpClient shared = HttpClient.newHttpClient();
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 24; i++) {
        var transport = i % 2 == 0 ? Transports.webSocket(shared) : Transports.longPoll(shared);
        sockets.add(It.socket(server.url()).httpClient(shared).transport(transport)
            .params(Map.of("token", "shared-" + i)).build());
      }
      sockets.forEach(s -> s.connect());
      for (int i = 0; i < sockets.size(); i++) {
        Socket socket = sockets.get(i);
        It.get(socket.connect());
        Reply whoami = It.get(It.joined(socket, "room:shared").push("whoami", Map.of()));
        assertThat(whoami.response().json().get("user").stringValue()).isEqualTo("shared-" + i);
        assertThat(socket.transportName()).isEqualTo(i % 2 == 0 ? "websocket" : "longpoll");
      }
      It.await("all in the room", () -> server.subscribers("room:shared") == 24);
      // Closing half of them leaves the others (and the shared client) working.
      sockets.subList(0, 12).forEach(Socket::close);
      for (Socket socket : sockets.subList(0, 12)) {
        assertThat(socket.isConnected()).isFalse();
      }
      for (Socket socket : sockets.subList(12, 24)) {
        assertThat(It.get(It.joined(socket, "room:shared-after").push("echo", Map.of("ok", 1))).isOk()).isTrue();
      }
    } finally {
      sockets.forEach(Socket::close);
    }
  }

  @Test
  void anEndpointThatCannotWorkIsAClearErrorNotAHang() {
    for (String endpoint : List.of("ftp://127.0.0.1:" + server.port() + "/socket", "not a url at all")) {
      Socket socket;
      try {
        socket = Socket.builder(endpoint).build();
      } catch (IllegalArgumentException refusedAtBuild) {
        assertThat(refusedAtBuild.getMessage()).as(endpoint).isNotBlank();
        continue;
      }
      try {
        var connecting = socket.connect();
        Throwable failure = catchThrowable(
            () -> connecting.get(10, TimeUnit.SECONDS));
        assertThat(failure).as("connect() to %s", endpoint).isInstanceOf(ExecutionException.class);
        assertThat(failure.getCause()).isInstanceOf(IllegalArgumentException.class);
      } finally {
        socket.close();
      }
    }
  }

  @Test
  void anOriginHeaderGetsPastAServerThatChecksItOverBothTransports() {
    for (TransportFactory transport : List.of(Transports.webSocket(), Transports.longPoll())) {
      String user = "origin-" + transport.hashCode();
      try (Socket socket = It.socket(server.strictUrl()).transport(transport).params(Map.of("token", user))
          .headers(Map.of("Origin", ItServer.ALLOWED_ORIGIN)).build()) {
        It.get(socket.connect());
        assertThat(user(socket, "room:origin")).isEqualTo(user);
      }
    }
    // With another the server refuses the connection (403) before its connect runs; the socket reports it and
    // keeps trying.
    try (Socket refused = It.socket(server.strictUrl()).params(Map.of("token", "no-origin"))
        .headers(Map.of("Origin", "http://elsewhere.example")).build()) {
      It.Recorder<Throwable> errors = new It.Recorder<>();
      refused.onError(errors::add);
      refused.connect();
      errors.awaitCount(2);
      assertThat(refused.isConnected()).isFalse();
      assertThat(server.socket.connectsOf("no-origin")).isZero();
    }
  }
}
