package dev.cinder.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Assigns;
import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Connect;
import dev.cinder.ConnectInfo;
import dev.cinder.Join;
import dev.cinder.Params;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.Routes;
import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelContext#queuedBytes()} seen from a channel over a real WebSocket: it grows while the client
 * does not read, and is back at zero once a reading client has taken everything.
 */
class ChannelQueuedBytesTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int FRAME_CHARS = 64 * 1024;
  /** Far more than loopback's socket buffers and Netty's 64 KiB can hold, so most of it must wait in the queue. */
  private static final int STALLED_FRAMES = 256;
  private static final SocketOptions OPTIONS = SocketOptions.defaults().maxQueuedBytes(64L << 20);

  record Filler(int i, String filler) {}

  /** Answers "fill" with that many pushes and "measure" with what the channel sees (recorded, and replied). */
  static final class BacklogSocket implements SocketHandler {
    final BlockingQueue<Long> measured = new LinkedBlockingQueue<>();

    @Override
    public void routes(Routes routes) {
      routes.channel("backlog:*", BacklogChannel::new);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok(Map.of());
    }

    @Override
    public String id(Assigns assigns) {
      return null;
    }

    final class BacklogChannel implements Channel {
      @Override
      public Join join(String topic, Payload params, ChannelContext ctx) {
        return Join.ok();
      }

      @Override
      public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
        return switch (event) {
          case "fill" -> {
            String filler = "x".repeat(FRAME_CHARS);
            for (int i = 0; i < payload.field("frames").asInt(); i++) {
              ctx.push("filler", new Filler(i, filler));
            }
            yield Reply.none();
          }
          case "measure" -> {
            long queued = ctx.queuedBytes();
            measured.add(queued);
            yield Reply.ok(Map.of("queued", queued));
          }
          default -> Reply.error(Map.of("reason", "unknown_event"));
        };
      }
    }
  }

  private final BacklogSocket backlog = new BacklogSocket();

  private TestServer server() {
    return new TestServer(OPTIONS, b -> b.socket("/backlog", backlog, OPTIONS));
  }

  private static String url(TestServer server) {
    return "ws://127.0.0.1:" + server.endpoint.port() + "/backlog/websocket?vsn=2.0.0";
  }

  private static void join(RawWebSocket ws) throws InterruptedException {
    ws.sendText("[\"1\",\"1\",\"backlog:1\",\"phx_join\",{}]");
    assertThat(ws.nextText(WAIT)).isEqualTo("[\"1\",\"1\",\"backlog:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{}}]");
  }

  private long nextMeasure() throws InterruptedException {
    Long queued = backlog.measured.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(queued).as("the channel's measure").isNotNull();
    return queued;
  }

  @Test
  void aClientThatStopsReadingMakesTheChannelSeeBytesQueued() throws Exception {
    try (TestServer server = server(); RawWebSocket stalled = RawWebSocket.connectStalling(url(server))) {
      join(stalled); // the one message it reads
      stalled.sendText("[\"1\",\"2\",\"backlog:1\",\"fill\",{\"frames\":" + STALLED_FRAMES + "}]");
      stalled.sendText("[\"1\",\"3\",\"backlog:1\",\"measure\",{}]"); // handled after the fill, on the channel's turn
      long queued = nextMeasure();
      assertThat(queued).isPositive().isLessThanOrEqualTo((long) STALLED_FRAMES * (FRAME_CHARS + 100));
      // Nothing drains while the client does not read: a second look sees at least as much (its reply queued too).
      stalled.sendText("[\"1\",\"4\",\"backlog:1\",\"measure\",{}]");
      assertThat(nextMeasure()).isGreaterThanOrEqualTo(queued);
    }
  }

  @Test
  void aClientThatReadsEverythingLeavesNothingQueued() throws Exception {
    try (TestServer server = server(); RawWebSocket reader = RawWebSocket.connect(url(server))) {
      join(reader);
      reader.sendText("[\"1\",\"2\",\"backlog:1\",\"fill\",{\"frames\":16}]");
      for (int i = 0; i < 16; i++) {
        String push = reader.nextText(WAIT);
        String start = "[\"1\",null,\"backlog:1\",\"filler\",{\"i\":" + i + ",";
        assertThat(push.substring(0, Math.min(push.length(), start.length()))).isEqualTo(start); // not 64 KiB in a failure
      }
      reader.sendText("[\"1\",\"3\",\"backlog:1\",\"measure\",{}]");
      assertThat(reader.nextText(WAIT))
          .isEqualTo("[\"1\",\"3\",\"backlog:1\",\"phx_reply\",{\"status\":\"ok\",\"response\":{\"queued\":0}}]");
      assertThat(nextMeasure()).isZero();
    }
  }
}
