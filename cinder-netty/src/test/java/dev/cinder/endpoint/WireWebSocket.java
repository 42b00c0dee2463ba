package dev.cinder.endpoint;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A WebSocket client on a plain TCP socket, for what the JDK client will not do: unfinished fragments, frames
 * with RSV1 (permessage-deflate), an oversized frame written in full, a reader that stops at the TCP level.
 * Frames are written exactly as given (masked, as a client must) and read one by one, close frames included.
 */
final class WireWebSocket implements AutoCloseable {
  static final int CONTINUATION = 0x0;
  static final int TEXT = 0x1;
  static final int CLOSE = 0x8;
  static final int PING = 0x9;
  static final int PONG = 0xA;
  static final int RSV1 = 0x4;
  /** What {@link #awaitClose} returns when the connection ended without a close frame (1006 in the RFC). */
  static final int NO_CLOSE_FRAME = 1006;

  /** One frame as read from the server. */
  record WireFrame(boolean fin, int rsv, int opcode, byte[] payload) {
    String text() {
      return new String(payload, StandardCharsets.UTF_8);
    }

    int closeCode() {
      return payload.length < 2 ? 1005 : ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private final Object writeLock = new Object();
  private final String response;

  private WireWebSocket(Socket socket, String response) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    this.out = socket.getOutputStream();
    this.response = response;
  }

  /** Upgrades {@code pathAndQuery}; {@code receiveBuffer} > 0 shrinks the socket's receive buffer first. */
  static WireWebSocket connect(int port, String pathAndQuery, int receiveBuffer, String... extraHeaders) throws IOException {
    Socket socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new java.net.InetSocketAddress("127.0.0.1", port), 5000);
    socket.setSoTimeout(10_000);
    StringBuilder request = new StringBuilder("GET " + pathAndQuery + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Version: 13\r\n");
    for (String header : extraHeaders) {
      request.append(header).append("\r\n");
    }
    socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
    String response = readHead(socket.getInputStream());
    if (!response.startsWith("HTTP/1.1 101")) {
      socket.close();
      throw new IOException("upgrade refused: " + response);
    }
    return new WireWebSocket(socket, response);
  }

  static WireWebSocket connect(int port, String pathAndQuery, String... extraHeaders) throws IOException {
    return connect(port, pathAndQuery, 0, extraHeaders);
  }

  /** The server's 101 response head. */
  String response() {
    return response;
  }

  /** Reads the response head byte by byte, so no frame bytes after it are consumed. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed during the handshake: " + head);
      }
      head.write(b);
      byte[] sofar = head.toByteArray();
      int n = sofar.length;
      if (n >= 4 && sofar[n - 4] == '\r' && sofar[n - 3] == '\n' && sofar[n - 2] == '\r' && sofar[n - 1] == '\n') {
        return head.toString(StandardCharsets.US_ASCII);
      }
    }
  }

  void sendText(String text) throws IOException {
    sendFrame(true, 0, TEXT, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes one masked frame as given (any opcode, RSV bits, FIN) and flushes it. */
  void sendFrame(boolean fin, int rsv, int opcode, byte[] payload) throws IOException {
    sendRaw(frame(fin, rsv, opcode, payload));
  }

  /** Writes bytes as they are, e.g. part of a frame, and flushes them. */
  void sendRaw(byte[] bytes) throws IOException {
    synchronized (writeLock) {
      out.write(bytes);
      out.flush();
    }
  }

  /** The wire form of a client frame: header, mask key and the masked payload. */
  static byte[] frame(boolean fin, int rsv, int opcode, byte[] payload) {
    int length = payload.length;
    ByteArrayOutputStream frame = new ByteArrayOutputStream(length + 14);
    frame.write((fin ? 0x80 : 0) | (rsv << 4) | opcode);
    if (length < 126) {
      frame.write(0x80 | length);
    } else if (length <= 0xFFFF) {
      frame.write(0x80 | 126);
      frame.write(length >>> 8);
      frame.write(length);
    } else {
      frame.write(0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) length >>> shift));
      }
    }
    byte[] mask = {0x37, (byte) 0xFA, 0x21, 0x3D};
    frame.write(mask, 0, 4);
    byte[] masked = new byte[length];
    for (int i = 0; i < length; i++) {
      masked[i] = (byte) (payload[i] ^ mask[i & 3]);
    }
    frame.write(masked, 0, length);
    return frame.toByteArray();
  }

  /** The next frame from the server; fails after the timeout, and with EOFException when the stream ends. */
  WireFrame readFrame(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    int first = in.readUnsignedByte();
    int second = in.readUnsignedByte();
    long length = second & 0x7F;
    if (length == 126) {
      length = in.readUnsignedShort();
    } else if (length == 127) {
      length = in.readLong();
    }
    if ((second & 0x80) != 0) {
      throw new IOException("the server masked a frame");
    }
    byte[] payload = new byte[Math.toIntExact(length)];
    in.readFully(payload);
    return new WireFrame((first & 0x80) != 0, (first >> 4) & 0x7, first & 0x0F, payload);
  }

  /**
   * Reads until the server's close frame and returns its code, passing every data frame before it to
   * {@code dataFrames} (pings and pongs are skipped); {@link #NO_CLOSE_FRAME} when the connection ended (EOF or
   * reset) without one. Fails if no close frame or end arrives within the timeout.
   */
  int awaitClose(Duration timeout, java.util.function.Consumer<WireFrame> dataFrames) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
      WireFrame frame;
      try {
        frame = readFrame(Duration.ofMillis(left));
      } catch (SocketTimeoutException e) {
        throw new AssertionError("no close frame within " + timeout, e);
      } catch (EOFException | java.net.SocketException e) {
        return NO_CLOSE_FRAME;
      }
      if (frame.opcode() == CLOSE) {
        return frame.closeCode();
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no close frame within " + timeout + ", frames keep coming");
      }
      if (frame.opcode() != PING && frame.opcode() != PONG) {
        dataFrames.accept(frame);
      }
    }
  }

  int awaitClose(Duration timeout) throws IOException {
    return awaitClose(timeout, frame -> { });
  }

  /** True once the server has ended the connection: a read sees end of stream (or a reset) within the timeout. */
  boolean endsWithin(Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    try {
      while (in.read() >= 0) {
        // discard whatever is still in flight
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
