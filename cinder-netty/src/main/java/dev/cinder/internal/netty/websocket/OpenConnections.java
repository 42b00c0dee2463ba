package dev.cinder.internal.netty.websocket;

import dev.cinder.internal.netty.drain.DrainableSockets;
import dev.cinder.internal.netty.drain.OpenSocket;
import dev.cinder.internal.netty.drain.SocketDrain;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The live WebSocket connections of a server, for its drain ({@link SocketDrain}). Once the drain has begun, a
 * connection that opens anyway (its handshake was under way) is handed to the drain at once, and new upgrades
 * are refused ({@link #draining()}).
 */
public final class OpenConnections implements DrainableSockets {
  private final Set<WebSocketConnection> connections = ConcurrentHashMap.newKeySet();
  private volatile Consumer<OpenSocket> lateArrivals;

  void add(WebSocketConnection connection) {
    connections.add(connection);
    Consumer<OpenSocket> drain = lateArrivals; // read after the add: a drain that began meanwhile sees one or the other
    if (drain != null) {
      drain.accept(connection.openSocket());
    }
  }

  void remove(WebSocketConnection connection) {
    connections.remove(connection);
  }

  @Override
  public int size() {
    return connections.size();
  }

  /** The connections open now. */
  List<WebSocketConnection> list() {
    return List.copyOf(connections);
  }

  /** From now on, connections that open go to {@code drain}; then the ones open now are listed. */
  @Override
  public List<OpenSocket> startDraining(Consumer<OpenSocket> drain) {
    lateArrivals = drain;
    return list().stream().map(WebSocketConnection::openSocket).toList();
  }

  /** Whether the server is draining: a WebSocket upgrade is refused. */
  public boolean draining() {
    return lateArrivals != null;
  }
}
