package dev.cinder.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A transport for unit tests of the socket's state machine, through the public transport SPI: the test plays the
 * server's part frame by frame (the integration tests use a real server). Every attempt the socket opens is queued.
 */
final class ScriptedTransports implements TransportFactory {
  final BlockingQueue<Scripted> opened = new LinkedBlockingQueue<>();

  @Override
  public Transport open(TransportRequest request, TransportListener listener) {
    Scripted scripted = new Scripted(request, listener);
    opened.add(scripted);
    return scripted;
  }

  /** The next attempt the socket opened. */
  Scripted next() throws InterruptedException {
    Scripted next = opened.poll(10, TimeUnit.SECONDS);
    assertThat(next).as("a connection attempt").isNotNull();
    return next;
  }

  /** One attempt: records what the socket sent; the test calls the listener as the server would. */
  static final class Scripted implements Transport {
    final TransportRequest request;
    final TransportListener listener;
    final BlockingQueue<Object> sent = new LinkedBlockingQueue<>();
    final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

    Scripted(TransportRequest request, TransportListener listener) {
      this.request = request;
      this.listener = listener;
    }

    @Override
    public String name() {
      return "scripted";
    }

    @Override
    public void sendText(String frame) {
      sent.add(frame);
    }

    @Override
    public void sendBinary(ByteBuffer frame) {
      byte[] bytes = new byte[frame.remaining()];
      frame.duplicate().get(bytes);
      sent.add(bytes);
    }

    @Override
    public void close(int code, String reason) {
      closes.add(code + " " + reason);
      listener.onClose(code, reason); // as a transport does once closed
    }

    /** The next frame the socket sent, skipping heartbeats. */
    String nextText() throws InterruptedException {
      while (true) {
        Object frame = sent.poll(10, TimeUnit.SECONDS);
        assertThat(frame).as("a frame sent by the socket").isNotNull();
        if (frame instanceof String text && !text.contains("\"heartbeat\"")) {
          return text;
        }
        assertThat(frame).as("a text frame").isInstanceOf(String.class);
      }
    }

    byte[] nextBinary() throws InterruptedException {
      Object frame = sent.poll(10, TimeUnit.SECONDS);
      assertThat(frame).as("a binary frame sent by the socket").isInstanceOf(byte[].class);
      return (byte[]) frame;
    }

    /** Sends the socket a reply: {@code [joinRef, ref, topic, "phx_reply", {"status": status, "response": ...}]}. */
    void reply(String joinRef, String ref, String topic, String status, String responseJson) {
      listener.onText("[" + quoted(joinRef) + "," + quoted(ref) + "," + quoted(topic) + ",\"phx_reply\","
          + "{\"status\":" + quoted(status) + ",\"response\":" + responseJson + "}]");
    }

    /** An ok reply to a join (its ref is its join_ref) or to a push of that join. */
    void ok(String joinRef, String ref, String topic) {
      reply(joinRef, ref, topic, "ok", "{}");
    }

    private static String quoted(String s) {
      return s == null ? "null" : "\"" + s + "\"";
    }

    String nextClose() throws InterruptedException {
      String close = closes.poll(10, TimeUnit.SECONDS);
      assertThat(close).as("a close").isNotNull();
      return close;
    }
  }
}
