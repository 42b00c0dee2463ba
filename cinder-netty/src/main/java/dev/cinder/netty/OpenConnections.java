package dev.cinder.netty;

import dev.cinder.socket.Connection;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The live WebSocket connections of a server, so that a shutdown can close each one with 1012 and wait. */
final class OpenConnections {
  private final Set<Connection> connections = ConcurrentHashMap.newKeySet();

  void add(Connection connection) {
    connections.add(connection);
  }

  void remove(Connection connection) {
    connections.remove(connection);
  }

  int size() {
    return connections.size();
  }

  /** Closes every connection with {@code code} and waits up to {@code timeout} for them to be gone. */
  void closeAll(int code, String reason, Duration timeout) {
    connections.forEach(c -> c.close(code, reason));
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!connections.isEmpty() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
