package dev.cinder.endpoint;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy in front of the nodes of a cluster, as a network and a load balancer look to a client: each
 * connection goes to the node it points at now ({@link #pointAt}); {@link #drop} breaks every connection at once,
 * with no WebSocket close, and {@link #hold} refuses new ones until {@link #release}; {@link #delayUpstream} holds
 * what clients send for a while before it goes on (a slow link to the target).
 */
final class SwitchingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile int target;
  private volatile boolean held;
  private volatile long upstreamDelayMillis;

  SwitchingProxy(int target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
    Thread.ofVirtual().name("proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  void pointAt(int port) {
    this.target = port;
  }

  /** From now on, every chunk a client sends reaches the target this much later (zero: at once). */
  void delayUpstream(Duration delay) {
    upstreamDelayMillis = delay.toMillis();
  }

  void hold() {
    held = true;
  }

  void release() {
    held = false;
  }

  /** Breaks every connection now, with a TCP reset. */
  void drop() {
    for (Socket socket : open) {
      try {
        socket.setSoLinger(true, 0);
      } catch (IOException e) {
        // already closed
      }
      closeQuietly(socket);
    }
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      if (held) {
        closeQuietly(client);
        continue;
      }
      try {
        Socket server = new Socket("127.0.0.1", target);
        open.add(client);
        open.add(server);
        // Platform threads: a socket closed by drop() while a virtual thread is blocked on it may not be closed for
        // real (no FIN, no reset) until that thread is scheduled again, which a loaded machine can delay by seconds.
        Thread.ofPlatform().daemon().start(() -> pipe(client, server, true));
        Thread.ofPlatform().daemon().start(() -> pipe(server, client, false));
      } catch (IOException e) {
        closeQuietly(client); // the node refused: the client sees its connection fail and retries
      }
    }
  }

  private void pipe(Socket from, Socket to, boolean upstream) {
    try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
      byte[] buffer = new byte[16 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        long delay = upstream ? upstreamDelayMillis : 0;
        if (delay > 0) {
          Thread.sleep(delay);
        }
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // one side went away
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    drop();
  }
}
