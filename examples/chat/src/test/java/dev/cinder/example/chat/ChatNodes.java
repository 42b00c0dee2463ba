package dev.cinder.example.chat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Example nodes as separate JVMs on one Redis (a server or a cluster, per {@code redisUrl}), each in a temporary
 * directory of its own: the cluster contract tests' nodes, started together, closed and removed together.
 */
final class ChatNodes implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final List<ChatProcess> processes = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Path> dirs = new ArrayList<>();

  private ChatNodes() {}

  /**
   * Starts a node per name ({@code NODE_NAME=node-<name>}, a 3 s presence down period) with {@code env} on top,
   * and waits until each listens.
   */
  static ChatNodes start(String redisUrl, List<String> names, Map<String, String> env) throws Exception {
    ChatNodes nodes = new ChatNodes();
    try {
      for (String name : names) {
        Path dir = Files.createTempDirectory("cinder-node-" + name);
        nodes.dirs.add(dir);
        Map<String, String> all = new HashMap<>(Map.of("SECRET_KEY_BASE", ChatServer.SECRET, "ADMIN_TOKEN", ChatServer.ADMIN,
            "PUBSUB", "redis", "REDIS_URL", redisUrl, "NODE_NAME", "node-" + name, "PRESENCE_DOWN_MS", "3000"));
        all.putAll(env);
        nodes.processes.add(ChatProcess.start(dir, all));
      }
      for (ChatProcess process : nodes.processes) {
        nodes.ports.add(process.awaitPort(Duration.ofSeconds(60)));
      }
      return nodes;
    } catch (Exception | Error e) {
      nodes.close();
      throw e;
    }
  }

  int size() {
    return ports.size();
  }

  int port(int node) {
    return ports.get(node);
  }

  String socketUrl(int node) {
    return "ws://127.0.0.1:" + port(node) + "/socket";
  }

  ChatProcess process(int node) {
    return processes.get(node);
  }

  /** One counter or gauge from a node's {@code /metrics}. */
  double metric(int node, String name) throws Exception {
    HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port(node) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    for (String line : response.body().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Double.parseDouble(line.substring(name.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + name + " in /metrics of node " + node);
  }

  @Override
  public void close() {
    processes.forEach(ChatProcess::close);
    dirs.forEach(ChatServer::deleteTree);
  }
}
