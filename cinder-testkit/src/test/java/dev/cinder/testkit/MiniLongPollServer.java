package dev.cinder.testkit;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import tools.jackson.databind.node.ObjectNode;

/**
 * Just enough of Phoenix's long-poll transport (one session, token "T1") to run {@link MiniPhoenix} over it;
 * {@code /socket/websocket} answers 404, so a WebSocket-first client falls back here.
 */
final class MiniLongPollServer implements AutoCloseable {
  private static final String TOKEN = "T1";

  private final HttpServer server;
  private final MiniPhoenix phoenix;
  private final BlockingQueue<String> outbox = new LinkedBlockingQueue<>();
  /** Request line and headers of every long-poll request, in order. */
  final List<Request> requests = new CopyOnWriteArrayList<>();
  final AtomicInteger webSocketAttempts = new AtomicInteger();

  record Request(String method, String query, Headers headers) {}

  private final MiniPhoenix.Peer peer = new MiniPhoenix.Peer() {
    @Override
    public void sendText(String text) {
      outbox.add(text);
    }

    @Override
    public void sendBinary(byte[] data) {
      throw new UnsupportedOperationException("no binary to clients over long-poll");
    }

    @Override
    public void close(int code, String reason) {
      throw new UnsupportedOperationException("long-poll sessions do not close like this");
    }
  };

  MiniLongPollServer(MiniPhoenix phoenix) throws IOException {
    this.phoenix = phoenix;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/socket/longpoll", this::longPoll);
    server.createContext("/socket/websocket", exchange -> {
      webSocketAttempts.incrementAndGet();
      respond(exchange, 404, "");
    });
    server.start();
  }

  String url() {
    return "ws://127.0.0.1:" + server.getAddress().getPort() + "/socket";
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private void longPoll(HttpExchange exchange) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    requests.add(new Request(exchange.getRequestMethod(), query, exchange.getRequestHeaders()));
    ObjectNode body = PhoenixJs.args();
    if (exchange.getRequestMethod().equals("POST")) {
      String text = new String(exchange.getRequestBody().readAllBytes(), UTF_8);
      for (String line : text.split("\n")) {
        if (line.startsWith("[")) {
          phoenix.onText(peer, line);
        } else {
          phoenix.onBinary(peer, Base64.getDecoder().decode(line));
        }
      }
      body.put("status", 200);
    } else if (query == null || !query.contains("token=" + TOKEN)) {
      body.put("status", 410).put("token", TOKEN).putArray("messages"); // the handshake
    } else {
      List<String> messages = new ArrayList<>();
      try {
        String first = outbox.poll(500, TimeUnit.MILLISECONDS);
        if (first != null) {
          messages.add(first);
          outbox.drainTo(messages);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      body.put("status", messages.isEmpty() ? 204 : 200).put("token", TOKEN);
      messages.forEach(body.putArray("messages")::add);
    }
    respond(exchange, 200, body.toString());
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(UTF_8);
    exchange.getResponseHeaders().set("content-type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
