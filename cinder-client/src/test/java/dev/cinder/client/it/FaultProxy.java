package dev.cinder.client.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the test server that breaks the network the ways a client meets it: {@link #drop} cuts
 * every connection at once (no WebSocket close), {@link #refuse} turns new connections away, {@link #silence} keeps
 * TCP up but passes nothing on (a black hole, until {@link #resume}), and {@link #stallUpgrades} leaves WebSocket
 * upgrade requests unanswered while plain HTTP (long-poll) goes through.
 */
final class FaultProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  /** The client side of every connection that reached the server. */
  private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
  /** Stalled upgrade requests whose client has not closed them yet. */
  private final AtomicInteger stalledOpen = new AtomicInteger();
  private final Object gate = new Object();
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicInteger upgradesStalled = new AtomicInteger();
  private final Thread acceptor;
  private volatile int target;
  private volatile boolean refusing;
  private volatile boolean silent;
  private volatile boolean stallUpgrades;

  FaultProxy(int target) throws IOException {
    this.target = target;
    listener = new ServerSocket();
    listener.bind(new InetSocketAddress("127.0.0.1", 0));
    acceptor = Thread.ofPlatform().daemon().name("fault-proxy-accept").start(this::accept);
  }

  int port() {
    return listener.getLocalPort();
  }

  /** The endpoint a client is given: {@code ws://127.0.0.1:<proxy>/<mount>}. */
  String url(String mount) {
    return "ws://127.0.0.1:" + port() + mount;
  }

  /** Connections accepted so far (refused ones included). */
  int accepted() {
    return accepted.get();
  }

  /** WebSocket upgrade requests held unanswered so far. */
  int upgradesStalled() {
    return upgradesStalled.get();
  }

  /** Stalled WebSocket upgrade requests whose client still holds the connection open. */
  int stalledOpen() {
    return stalledOpen.get();
  }

  /**
   * Writes raw bytes to every client connection, between whole writes of the server's bytes (call it when no
   * frame is on its way, so it lands between frames): a server sending garbage.
   */
  void injectToClients(byte[] bytes) throws IOException {
    for (Socket client : clients) {
      synchronized (client) {
        client.getOutputStream().write(bytes);
        client.getOutputStream().flush();
      }
    }
  }

  /** Breaks every open connection now, without any close frame: the network went away. */
  void drop() {
    for (Socket socket : open) {
      reset(socket);
    }
  }

  /** New connections are accepted and closed at once, until {@link #admit}. */
  void refuse() {
    refusing = true;
  }

  void admit() {
    refusing = false;
  }

  /** Bytes stop flowing in both directions on every connection, old and new; TCP stays up. */
  void silence() {
    silent = true;
  }

  /** Bytes held during {@link #silence} flow on, in order. */
  void resume() {
    synchronized (gate) {
      silent = false;
      gate.notifyAll();
    }
  }

  /** From now on, requests asking for a WebSocket upgrade get no answer (their TCP connection stays open). */
  void stallUpgrades(boolean value) {
    stallUpgrades = value;
  }

  private void accept() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (refusing) {
        closeQuietly(client);
        continue;
      }
      open.add(client);
      // Platform threads: a socket closed by drop() while a virtual thread is blocked on it may not be closed for
      // real (no FIN, no reset) until that thread is scheduled again, which a loaded machine can delay by seconds.
      Thread.ofPlatform().daemon().name("fault-proxy-conn").start(() -> connect(client));
    }
  }

  private void connect(Socket client) {
    try {
      byte[] head = readHead(client.getInputStream());
      if (stallUpgrades && new String(head, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT)
          .contains("upgrade: websocket")) {
        upgradesStalled.incrementAndGet();
        awaitClientClose(client); // the client waits for a 101 that never comes, until it gives up
        return;
      }
      awaitNotSilent(); // a connection made during a silence gets nowhere until it ends
      Socket server = new Socket("127.0.0.1", target);
      open.add(server);
      server.getOutputStream().write(head);
      clients.add(client);
      Thread.ofPlatform().daemon().name("fault-proxy-up").start(() -> pipe(client, server));
      pipe(server, client);
    } catch (IOException | InterruptedException e) {
      closeQuietly(client); // the server is down or the client left: the client sees its connection fail
    }
  }

  private void awaitClientClose(Socket client) {
    stalledOpen.incrementAndGet();
    try {
      while (client.getInputStream().read() >= 0) {
        // a client sends nothing more before the answer; whatever comes is ignored
      }
    } catch (IOException e) {
      // closed: by the client, or by drop()
    } finally {
      stalledOpen.decrementAndGet();
      closeQuietly(client);
    }
  }

  /** Reads the request head (up to the blank line), so that an upgrade can be told from plain HTTP. */
  private static byte[] readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4 && head.size() < 64 * 1024) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed before the request head ended");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toByteArray();
  }

  private void pipe(Socket from, Socket to) {
    byte[] buffer = new byte[16 * 1024];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        awaitNotSilent();
        synchronized (to) {
          out.write(buffer, 0, n);
          out.flush();
        }
      }
    } catch (IOException | InterruptedException e) {
      // one side went away, or the proxy closed
    } finally {
      closeQuietly(from);
      closeQuietly(to);
    }
  }

  private void awaitNotSilent() throws InterruptedException {
    synchronized (gate) {
      while (silent) {
        gate.wait();
      }
    }
  }

  /** Closes with a TCP reset, at once, whatever the threads reading or writing it are doing. */
  private void reset(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
    } catch (IOException e) {
      // already closed
    }
    closeQuietly(socket);
  }

  private void closeQuietly(Socket socket) {
    open.remove(socket);
    clients.remove(socket);
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    listener.close();
    resume();
    drop();
    try {
      acceptor.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
