package dev.cinder.endpoint;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load balancer without sticky sessions: every HTTP request goes to the next node in turn, so a long-poll
 * client's GETs and POSTs keep landing on nodes other than the one holding its session.
 */
final class RoundRobinBalancer implements AutoCloseable {
  private static final List<String> PASSED = List.of("content-type", "accept", "x-phoenix-longpoll-token",
      "x-phoenix-authtoken", "origin");

  private final List<Integer> ports;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger[] served;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final HttpServer server;

  RoundRobinBalancer(List<Integer> ports) throws IOException {
    this.ports = ports;
    this.served = ports.stream().map(p -> new AtomicInteger()).toArray(AtomicInteger[]::new);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::forward);
    server.start();
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** How many requests node {@code i} served. */
  int served(int i) {
    return served[i].get();
  }

  private void forward(HttpExchange exchange) throws IOException {
    try (exchange) {
      int i = Math.floorMod(next.getAndIncrement(), ports.size());
      served[i].incrementAndGet();
      byte[] body = exchange.getRequestBody().readAllBytes();
      HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + ports.get(i)
          + exchange.getRequestURI())).timeout(Duration.ofSeconds(30))
          .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(body));
      for (String name : PASSED) {
        String value = exchange.getRequestHeaders().getFirst(name);
        if (value != null) {
          request.header(name, value);
        }
      }
      HttpResponse<byte[]> response;
      try {
        response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        exchange.sendResponseHeaders(502, -1);
        return;
      }
      response.headers().map().forEach((name, values) -> {
        if (!name.equalsIgnoreCase("content-length") && !name.equalsIgnoreCase("connection")
            && !name.equalsIgnoreCase(":status")) {
          exchange.getResponseHeaders().put(name, values);
        }
      });
      byte[] out = response.body();
      exchange.sendResponseHeaders(response.statusCode(), out.length == 0 ? -1 : out.length);
      exchange.getResponseBody().write(out);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
