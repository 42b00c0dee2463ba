package dev.cinder.testkit;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.ToIntFunction;

/**
 * Just enough RFC 6455 to let the JS client talk to a test (no fragmentation, no extensions): the testkit's
 * own tests need a server, and Cinder's is built elsewhere. Each connection gets a virtual thread.
 */
final class MiniWebSocketServer implements AutoCloseable {
  private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** The upgrade request; header names are lower case. */
  record Handshake(String target, Map<String, String> headers) {}

  private final ServerSocket server;
  private final MiniPhoenix handler;
  /** The HTTP status to answer a handshake with: 101 accepts, anything else refuses. */
  private final ToIntFunction<Handshake> gate;
  final List<Handshake> handshakes = new CopyOnWriteArrayList<>();
  final List<Connection> connections = new CopyOnWriteArrayList<>();
  /** Close codes received from clients (-1: a close frame without a code). */
  final List<Integer> closeCodesReceived = new CopyOnWriteArrayList<>();

  MiniWebSocketServer(MiniPhoenix handler, ToIntFunction<Handshake> gate) throws IOException {
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.handler = handler;
    this.gate = gate;
    Thread.ofVirtual().start(this::acceptLoop);
  }

  String url() {
    return "ws://127.0.0.1:" + server.getLocalPort() + "/socket";
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Connection connection : connections) {
      connection.socket.close();
    }
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket socket = server.accept();
        Thread.ofVirtual().start(() -> serve(socket));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      Handshake handshake = readHandshake(in);
      handshakes.add(handshake);
      int status = gate.applyAsInt(handshake);
      OutputStream out = socket.getOutputStream();
      if (status != 101) {
        out.write(("HTTP/1.1 " + status + " Refused\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").getBytes(ISO_8859_1));
        return;
      }
      String accept = Base64.getEncoder().encodeToString(sha1(handshake.headers().get("sec-websocket-key") + GUID));
      String protocol = handshake.headers().containsKey("sec-websocket-protocol") ? "Sec-WebSocket-Protocol: phoenix\r\n" : "";
      out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
          + accept + "\r\n" + protocol + "\r\n").getBytes(ISO_8859_1));
      var connection = new Connection(socket, out);
      connections.add(connection);
      readFrames(new DataInputStream(in), connection);
    } catch (IOException e) {
      // the client went away
    }
  }

  private void readFrames(DataInputStream in, Connection connection) throws IOException {
    while (true) {
      int b0 = in.read();
      if (b0 < 0) {
        return;
      }
      int b1 = in.readUnsignedByte();
      long length = b1 & 0x7F;
      if (length == 126) {
        length = in.readUnsignedShort();
      } else if (length == 127) {
        length = in.readLong();
      }
      byte[] mask = (b1 & 0x80) != 0 ? in.readNBytes(4) : null;
      byte[] data = in.readNBytes((int) length);
      for (int i = 0; mask != null && i < data.length; i++) {
        data[i] ^= mask[i % 4];
      }
      switch (b0 & 0x0F) {
        case 1 -> handler.onText(connection, new String(data, UTF_8));
        case 2 -> handler.onBinary(connection, data);
        case 8 -> {
          closeCodesReceived.add(data.length >= 2 ? ByteBuffer.wrap(data).getShort() & 0xFFFF : -1);
          connection.send(8, data); // echo, unless we started the close (then it is ignored)
          return;
        }
        case 9 -> connection.send(10, data);
        default -> { } // pong
      }
    }
  }

  private static Handshake readHandshake(InputStream in) throws IOException {
    var head = new ByteArrayOutputStream();
    while (!head.toString(ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed during the handshake");
      }
      head.write(b);
    }
    String[] lines = head.toString(ISO_8859_1).split("\r\n");
    Map<String, String> headers = new TreeMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
    }
    return new Handshake(lines[0].split(" ")[1], headers);
  }

  private static byte[] sha1(String text) {
    try {
      return MessageDigest.getInstance("SHA-1").digest(text.getBytes(ISO_8859_1));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** One accepted connection; sends unmasked frames, as a server must. */
  static final class Connection implements MiniPhoenix.Peer {
    private final Socket socket;
    private final OutputStream out;
    private boolean closeSent;

    Connection(Socket socket, OutputStream out) {
      this.socket = socket;
      this.out = out;
    }

    @Override
    public void sendText(String text) {
      send(1, text.getBytes(UTF_8));
    }

    @Override
    public void sendBinary(byte[] data) {
      send(2, data);
    }

    @Override
    public void close(int code, String reason) {
      byte[] text = reason.getBytes(UTF_8);
      send(8, ByteBuffer.allocate(2 + text.length).putShort((short) code).put(text).array());
    }

    synchronized void send(int opcode, byte[] data) {
      if (closeSent) {
        return;
      }
      closeSent = opcode == 8;
      try {
        var frame = new ByteArrayOutputStream();
        frame.write(0x80 | opcode);
        if (data.length < 126) {
          frame.write(data.length);
        } else if (data.length < 65536) {
          frame.write(126);
          frame.write(data.length >> 8);
          frame.write(data.length & 0xFF);
        } else {
          frame.write(127);
          frame.write(ByteBuffer.allocate(8).putLong(data.length).array());
        }
        frame.write(data);
        out.write(frame.toByteArray());
        out.flush();
      } catch (IOException e) {
        // the client went away
      }
    }
  }
}
