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
import dev.cinder.StopReason;
import dev.cinder.testkit.JsChannel;
import dev.cinder.testkit.JsReply;
import dev.cinder.testkit.JsSocket;
import dev.cinder.testkit.PhoenixJsExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Where a push's {@code handleIn} runs, seen from the channel while the official client pushes over a real
 * WebSocket: on the channel's virtual thread until its event has shown 64 fast calls in a row, then inline on the
 * connection's event loop; a slow inline call is forgiven once (a collector pause looks the same), a second one
 * sends it back, for twice as long, unless it was slow only because other processes had the cores; order holds
 * across both paths;
 * an inline crash or stop leaves {@code terminate} to the virtual thread; a zero limit keeps every push off the
 * event loop.
 */
class InlinePushTest {
  @RegisterExtension
  static final PhoenixJsExtension js = new PhoenixJsExtension();

  /** Generous, so that a fast call on a busy test machine is never taken for a slow one. */
  private static final Duration LIMIT = Duration.ofMillis(100);
  private static final int PROMOTE_AFTER = 64;
  /** Pushes that may still go to the virtual thread after the promoting call: its count lands after its reply. */
  private static final int SLACK = 3;
  private static final Duration WAIT = Duration.ofSeconds(10);

  /**
   * Every event answers whether it ran on a virtual thread. "nap" sleeps {@code ms} first; "seq" records {@code n};
   * "then" crashes or stops the channel when {@code do} says so, and does nothing otherwise.
   */
  static final class WhereSocket implements SocketHandler {
    final List<Integer> seq = new CopyOnWriteArrayList<>();
    final List<String> terminations = new CopyOnWriteArrayList<>();

    @Override
    public void routes(Routes routes) {
      routes.channel("where:*", WhereChannel::new);
    }

    @Override
    public Connect connect(Params params, ConnectInfo info) {
      return Connect.ok(Map.of());
    }

    @Override
    public String id(Assigns assigns) {
      return null;
    }

    final class WhereChannel implements Channel {
      @Override
      public Join join(String topic, Payload params, ChannelContext ctx) {
        return Join.ok();
      }

      @Override
      public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
        boolean virtual = Thread.currentThread().isVirtual();
        switch (event) {
          case "nap" -> sleep(payload.field("ms").asInt());
          case "spin" -> spin(payload.field("ms").asInt());
          case "seq" -> seq.add(payload.field("n").asInt());
          case "then" -> {
            switch (payload.string("do")) {
              case "crash" -> throw new IllegalStateException("crash on request");
              case "stop" -> ctx.stop();
              default -> { }
            }
          }
          default -> { }
        }
        return Reply.ok(Map.of("virtual", virtual));
      }

      @Override
      public void terminate(StopReason reason, ChannelContext ctx) {
        terminations.add(ctx.topic() + " " + reason + " on " + (Thread.currentThread().isVirtual() ? "a virtual thread" : "the event loop"));
      }
    }
  }

  /** Keeps the thread busy until {@code ms} have passed on the wall clock. */
  private static void spin(int ms) {
    long end = System.nanoTime() + ms * 1_000_000L;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  private static void sleep(int ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Endpoint start(WhereSocket socket, Duration limit) {
    return Endpoint.builder().host("127.0.0.1").port(0).secretKeyBase("a".repeat(64))
        .socket("/socket", socket, SocketOptions.defaults().inlinePushLimit(limit).inboundRate(10_000).inboundBurst(10_000))
        .build().start();
  }

  private static JsChannel join(Endpoint endpoint, String topic) {
    JsSocket client = js.connect("ws://127.0.0.1:" + endpoint.port() + "/socket", Map.of());
    JsChannel channel = client.channel(topic);
    assertThat(channel.join().isOk()).isTrue();
    return channel;
  }

  /** Pushes {@code event} {@code n} times, one after the other; returns, per push, whether it ran on a virtual thread. */
  private static List<Boolean> where(JsChannel channel, String event, Map<String, ?> payload, int n) {
    List<Boolean> virtual = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      JsReply reply = channel.push(event, payload);
      assertThat(reply.status()).isEqualTo("ok");
      virtual.add(reply.response().get("virtual").asBoolean());
    }
    return virtual;
  }

  /** The index of the first push that ran inline, asserting that every push from there on ran inline too. */
  private static int firstInline(List<Boolean> virtual) {
    int first = virtual.indexOf(false);
    assertThat(first).as("some push ran inline").isGreaterThanOrEqualTo(0);
    assertThat(virtual.subList(first, virtual.size())).as("inline from the first inline push on").containsOnly(false);
    return first;
  }

  @Test
  void anEventRunsInlineOnceItHasShownSixtyFourFastCallsInARow() {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, LIMIT)) {
      JsChannel channel = join(endpoint, "where:fast");

      List<Boolean> virtual = where(channel, "where", Map.of(), PROMOTE_AFTER + SLACK + 20);

      assertThat(firstInline(virtual)).isBetween(PROMOTE_AFTER, PROMOTE_AFTER + SLACK);
      // Another event of the same route earns it on its own: its first push still runs on the virtual thread.
      assertThat(where(channel, "nap", Map.of("ms", 0), 1)).containsExactly(true);
    }
  }

  @Test
  void aSecondSlowInlineCallSendsTheEventBackToTheVirtualThreadForTwiceAsLong() {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, LIMIT)) {
      JsChannel channel = join(endpoint, "where:slow");
      firstInline(where(channel, "nap", Map.of("ms", 0), PROMOTE_AFTER + SLACK + 5));

      // Inline, this call holds up its event loop for 300 ms; the first such call is forgiven: the event stays inline.
      assertThat(where(channel, "nap", Map.of("ms", 300), 1)).containsExactly(false);
      assertThat(where(channel, "nap", Map.of("ms", 0), 3)).containsOnly(false);
      // The second within the window is not: it runs, and is the last inline one for a while.
      assertThat(where(channel, "nap", Map.of("ms", 300), 1)).containsExactly(false);
      List<Boolean> after = where(channel, "nap", Map.of("ms", 0), 2 * PROMOTE_AFTER + SLACK + 10);

      assertThat(firstInline(after)).isBetween(2 * PROMOTE_AFTER, 2 * PROMOTE_AFTER + SLACK);
    }
  }

  /**
   * Other processes that take every core (four busy shells per core, as a load generator or a noisy neighbour
   * would) make the OS stop the event loop in the middle of a 1 ms call for several ms at a time, again and again: on
   * the wall clock such a call is over a 10 ms limit, but the thread spent that time waiting for a CPU, which is not
   * the event's doing. It stays inline throughout.
   */
  @Test
  void anEventSlowedOnlyByOtherProcessesTakingTheCoresStaysInline() throws Exception {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, Duration.ofMillis(10))) {
      JsChannel channel = join(endpoint, "where:crowded");
      firstInline(where(channel, "spin", Map.of("ms", 0), PROMOTE_AFTER + SLACK + 5));

      // A collector pause is a stall the event loop did not wait for a CPU in: start with an empty young generation,
      // so that the few kilobytes these pushes allocate cause none.
      System.gc();
      List<Process> busy = new ArrayList<>();
      List<Boolean> crowded;
      try {
        for (int i = 0; i < 4 * Runtime.getRuntime().availableProcessors(); i++) {
          busy.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        }
        crowded = where(channel, "spin", Map.of("ms", 1), 100);
      } finally {
        busy.forEach(Process::destroyForcibly);
        for (Process p : busy) {
          p.waitFor();
        }
      }

      assertThat(crowded).as("ran on a virtual thread, per push").containsOnly(false);
    }
  }

  @Test
  void pushesAreHandledInArrivalOrderWhenInlineAndQueuedOnesInterleave() {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, LIMIT)) {
      JsChannel channel = join(endpoint, "where:order");
      firstInline(where(channel, "seq", Map.of("n", -1), PROMOTE_AFTER + SLACK + 5));
      socket.seq.clear();

      // "seq" runs inline when the channel is idle; "nap" (new, so on the virtual thread) keeps it busy for 20 ms,
      // and the seq pushes that arrive meanwhile must wait behind it rather than overtake it inline.
      int n = 60;
      for (int i = 0; i < n; i++) {
        channel.pushNoReply(i % 10 == 0 ? "nap" : "seq", Map.of("n", i, "ms", 20));
      }
      JsReply fence = channel.push("seq", Map.of("n", n));

      assertThat(fence.status()).isEqualTo("ok");
      List<Integer> expected = new ArrayList<>(IntStream.range(0, n).filter(i -> i % 10 != 0).boxed().toList());
      expected.add(n);
      assertThat(socket.seq).containsExactlyElementsOf(expected);
    }
  }

  @Test
  void anInlineCrashOrStopEndsTheChannelWithTerminateOnTheVirtualThread() {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, LIMIT)) {
      JsChannel crashing = join(endpoint, "where:crash");
      JsChannel stopping = join(endpoint, "where:stop");
      // A route's events are followed across its channels: "then" earns inline on one and runs inline on both.
      firstInline(where(crashing, "then", Map.of("do", "nothing"), PROMOTE_AFTER + SLACK + 5));
      assertThat(where(stopping, "then", Map.of("do", "nothing"), 1)).containsExactly(false);

      crashing.pushNoReply("then", Map.of("do", "crash"));
      assertThat(crashing.awaitMessage("phx_error", WAIT).payload().get("reason").stringValue()).isEqualTo("channel_crash");
      JsReply stopped = stopping.push("then", Map.of("do", "stop"));
      assertThat(stopped.response().get("virtual").asBoolean()).isFalse(); // the stop itself was asked inline
      stopping.awaitMessage("phx_close", WAIT);

      assertThat(socket.terminations).containsExactlyInAnyOrder("where:crash CRASHED on a virtual thread",
          "where:stop STOPPED on a virtual thread");
    }
  }

  @Test
  void aZeroLimitKeepsEveryPushOnTheVirtualThread() {
    WhereSocket socket = new WhereSocket();
    try (Endpoint endpoint = start(socket, Duration.ZERO)) {
      JsChannel channel = join(endpoint, "where:never");

      assertThat(where(channel, "where", Map.of(), PROMOTE_AFTER * 2)).containsOnly(true);
    }
  }
}
