package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.SocketOptions;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * permessage-deflate and the frame cap: the cap applies to the inflated message, so a small compressed frame
 * that inflates to 64 MiB is refused with 1009 without the server ever holding 64 MiB, and a compressed
 * message exactly at the cap still goes through.
 */
class DeflateBombTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String DEFLATE_OFFER = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
  private static final int CAP = 1 << 20; // SocketOptions' default maxFrameSize
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = new TestServer(SocketOptions.defaults().compress(true));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static WireWebSocket connect(String user) throws Exception {
    WireWebSocket ws = WireWebSocket.connect(server.endpoint.port(), "/socket/websocket?vsn=2.0.0&user=" + user, DEFLATE_OFFER);
    assertThat(ws.response()).containsIgnoringCase("permessage-deflate");
    return ws;
  }

  @Test
  void aMessageThatInflatesPastTheCapIsRefusedWithMessageTooBig() throws Exception {
    Neighbour.assertUnaffectedBy(server, () -> {
      try (WireWebSocket evil = connect("evil")) {
        byte[] bomb = deflatedEcho(64 << 20);
        assertThat(bomb.length).isLessThan(100_000);
        long allocatedBefore = eventLoopAllocatedBytes();
        evil.sendFrame(true, WireWebSocket.RSV1, WireWebSocket.TEXT, bomb);
        assertThat(evil.awaitClose(WAIT)).isEqualTo(1009);
        long allocated = eventLoopAllocatedBytes() - allocatedBefore;
        assertThat(allocated).as("bytes allocated by the event loops while refusing the bomb").isLessThan(16L << 20);
        assertThat(evil.endsWithin(WAIT)).isTrue();
      }
    });
  }

  @Test
  void aCompressedMessageExactlyAtTheCapIsAnswered() throws Exception {
    try (WireWebSocket ws = connect("big")) {
      ServerInflater inflater = new ServerInflater();
      ws.sendFrame(true, WireWebSocket.RSV1, WireWebSocket.TEXT, deflate("[\"1\",\"1\",\"test:room\",\"phx_join\",{}]"));
      assertThat(inflater.text(ws.readFrame(WAIT))).contains("\"status\":\"ok\"");
      ws.sendFrame(true, WireWebSocket.RSV1, WireWebSocket.TEXT, deflatedEcho(CAP));
      String reply = inflater.text(ws.readFrame(WAIT));
      assertThat(reply).startsWith("[\"1\",\"2\",\"test:room\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"body\":\"xxx");
      assertThat(reply.length()).isGreaterThan(CAP - 100);
    }
  }

  /** An echo of one long body, {@code inflatedSize} bytes in all, deflated without ever holding it whole. */
  private static byte[] deflatedEcho(int inflatedSize) {
    byte[] prefix = "[\"1\",\"2\",\"test:room\",\"echo\",{\"body\":\"".getBytes(StandardCharsets.US_ASCII);
    byte[] suffix = "\"}]".getBytes(StandardCharsets.US_ASCII);
    Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    feed(deflater, prefix, out);
    byte[] chunk = new byte[1 << 20];
    Arrays.fill(chunk, (byte) 'x');
    long body = inflatedSize - prefix.length - suffix.length;
    while (body > 0) {
      int n = (int) Math.min(chunk.length, body);
      feed(deflater, Arrays.copyOf(chunk, n), out);
      body -= n;
    }
    feed(deflater, suffix, out);
    return finish(deflater, out);
  }

  private static byte[] deflate(String text) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    feed(deflater, text.getBytes(StandardCharsets.UTF_8), out);
    return finish(deflater, out);
  }

  private static void feed(Deflater deflater, byte[] input, ByteArrayOutputStream out) {
    deflater.setInput(input);
    byte[] buffer = new byte[64 * 1024];
    while (!deflater.needsInput()) {
      out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
    }
  }

  /** A sync flush, minus the 00 00 ff ff tail that permessage-deflate leaves off (RFC 7692 §7.2.1). */
  private static byte[] finish(Deflater deflater, ByteArrayOutputStream out) {
    byte[] buffer = new byte[64 * 1024];
    int n;
    do {
      n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
      out.write(buffer, 0, n);
    } while (n == buffer.length);
    deflater.end();
    byte[] all = out.toByteArray();
    return Arrays.copyOf(all, all.length - 4);
  }

  /** Bytes allocated so far by the server's event loop threads (they run in this JVM). */
  private static long eventLoopAllocatedBytes() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long[] ids = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("cinder-io")).mapToLong(Thread::threadId).toArray();
    assertThat(ids).isNotEmpty();
    return Arrays.stream(threads.getThreadAllocatedBytes(ids)).filter(b -> b > 0).sum();
  }

  /** Inflates the server's compressed frames, keeping the window across messages (context takeover). */
  private static final class ServerInflater {
    private final Inflater inflater = new Inflater(true);

    String text(WireWebSocket.WireFrame frame) throws DataFormatException {
      assertThat(frame.opcode()).isEqualTo(WireWebSocket.TEXT);
      if ((frame.rsv() & WireWebSocket.RSV1) == 0) {
        return frame.text();
      }
      byte[] input = Arrays.copyOf(frame.payload(), frame.payload().length + 4);
      input[input.length - 2] = (byte) 0xFF;
      input[input.length - 1] = (byte) 0xFF;
      inflater.setInput(input);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buffer = new byte[64 * 1024];
      while (!inflater.needsInput()) {
        out.write(buffer, 0, inflater.inflate(buffer));
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }
}
