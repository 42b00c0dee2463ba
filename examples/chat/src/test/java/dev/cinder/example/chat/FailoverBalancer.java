package dev.cinder.example.chat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A TCP load balancer stand-in: each client connection goes to the first node, in list order, that accepts a
 * TCP connection, and bytes are copied both ways (half-closes included) until both sides are done. A node that
 * closed its listening socket, as a draining node does, gets no new connections: the clients it closes
 * reconnect to the next node, as they would behind a balancer whose health check took the node out.
 */
final class FailoverBalancer implements AutoCloseable {
  private final ServerSocket server;
  private final List<Integer> ports;
  private final AtomicIntegerArray connections;

  FailoverBalancer(List<Integer> ports) throws IOException {
    this.ports = List.copyOf(ports);
    this.connections = new AtomicIntegerArray(ports.size());
    this.server = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread.ofPlatform().daemon().name("failover-balancer").start(this::acceptLoop);
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many client connections went to node {@code i}. */
  int connections(int i) {
    return connections.get(i);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        // Platform threads: a socket closed while a virtual thread is blocked on it may stay open (no FIN) until that
        // thread runs again, which a loaded machine can delay by seconds.
        Thread.ofPlatform().daemon().start(() -> route(client));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void route(Socket client) {
    for (int i = 0; i < ports.size(); i++) {
      Socket node;
      try {
        node = new Socket(InetAddress.getLoopbackAddress(), ports.get(i));
      } catch (IOException refused) {
        continue;
      }
      connections.incrementAndGet(i);
      Thread up = Thread.ofPlatform().daemon().start(() -> copy(client, node));
      copy(node, client);
      try {
        up.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      closeQuietly(node);
      closeQuietly(client);
      return;
    }
    closeQuietly(client); // no node takes connections
  }

  /** Copies until the end of {@code from}'s input, then half-closes {@code to}'s output; on an error closes both. */
  private static void copy(Socket from, Socket to) {
    try {
      InputStream in = from.getInputStream(); // not closed here: closing a socket's stream closes the socket
      OutputStream out = to.getOutputStream();
      byte[] buffer = new byte[16 * 1024];
      for (int n = in.read(buffer); n != -1; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
      to.shutdownOutput();
    } catch (IOException e) {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already gone
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
