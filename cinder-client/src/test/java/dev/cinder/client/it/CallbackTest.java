package dev.cinder.client.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.client.Channel;
import dev.cinder.client.Message;
import dev.cinder.client.Reply;
import dev.cinder.client.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where and how user callbacks run: one at a time by default, on the executor given, and a throw harms nothing. */
class CallbackTest {
  @RegisterExtension
  static final ItServer server = ItServer.perClass();


  @Test
  void theDefaultExecutorNeverRunsTwoCallbacksOfOneSocketAtOnce() throws Exception {
    try (Socket socket = It.connected(server.url(), "serial")) {
      AtomicInteger running = new AtomicInteger();
      AtomicInteger overlaps = new AtomicInteger();
      AtomicInteger calls = new AtomicInteger();
      Runnable body = () -> {
        if (running.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        calls.incrementAndGet();
        for (long end = System.nanoTime() + 200_000; System.nanoTime() < end; ) {
          Thread.onSpinWait(); // long enough for a concurrent call to show
        }
        running.decrementAndGet();
      };
      socket.onMessage(m -> body.run());
      List<Channel> rooms = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        Channel room = It.joined(socket, "room:serial-" + i);
        room.on("tick", m -> body.run());
        room.onError(e -> body.run());
        rooms.add(room);
      }
      int before = calls.get();
      // Four threads broadcast at once, and the client pushes at the same time: replies and broadcasts interleave.
      List<Thread> senders = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        String topic = "room:serial-" + i;
        senders.add(Thread.ofPlatform().start(() -> {
          for (int n = 0; n < 100; n++) {
            server.broadcast(topic, "tick", Map.of("n", n));
          }
        }));
      }
      List<CompletableFuture<Reply>> pushes = new ArrayList<>();
      for (int n = 0; n < 50; n++) {
        pushes.add(rooms.get(n % 4).push("echo", Map.of("n", n)));
      }
      for (Thread sender : senders) {
        sender.join();
      }
      pushes.forEach(It::get);
      // Each tick runs two callbacks (onMessage and on("tick")); each reply at least onMessage.
      It.await("every callback ran", () -> calls.get() - before >= 4 * 100 * 2 + 50);
      assertThat(overlaps.get()).as("callbacks that ran while another was running").isZero();
    }
  }

  @Test
  void aThrowingCallbackIsReportedToOnErrorAndTheSocketGoesOn() {
    try (Socket socket = It.connected(server.url(), "thrower")) {
      It.Recorder<Throwable> errors = new It.Recorder<>();
      socket.onError(errors::add);
      Channel room = It.joined(socket, "room:thrower");
      room.on("boom", m -> {
        throw new IllegalStateException("a bug in the application's handler");
      });
      It.Recorder<Message> after = It.record(room, "after");

      server.broadcast("room:thrower", "boom", Map.of());
      server.broadcast("room:thrower", "after", Map.of("n", 1));
      after.awaitCount(1);
      Throwable reported = errors.awaitCount(1).getFirst();
      assertThat(causes(reported)).anyMatch(t -> t instanceof IllegalStateException
          && "a bug in the application's handler".equals(t.getMessage()));
      assertThat(socket.isConnected()).isTrue();
      assertThat(It.get(room.push("echo", Map.of("n", 2))).isOk()).isTrue();
    }
  }

  @Test
  void aUserSuppliedExecutorRunsTheCallbacks() {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "app-callbacks-" + threads.incrementAndGet()));
    try (Socket socket = It.socket(server.url()).params(Map.of("token", "own-executor"))
        .callbackExecutor(executor).build()) {
      It.Recorder<String> where = new It.Recorder<>();
      socket.onOpen(() -> where.add("open " + Thread.currentThread().getName()));
      It.get(socket.connect());
      Channel room = It.joined(socket, "room:own-executor");
      room.on("news", m -> where.add("news " + Thread.currentThread().getName()));
      server.broadcast("room:own-executor", "news", Map.of());
      assertThat(where.awaitCount(2)).containsExactly("open app-callbacks-1", "news app-callbacks-1");
    } finally {
      executor.shutdownNow();
    }
  }

  private static List<Throwable> causes(Throwable error) {
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = error; t != null && !chain.contains(t); t = t.getCause()) {
      chain.add(t);
    }
    return chain;
  }

  @Test
  void aCallbackMayCloseItsOwnSocket() {
    Socket socket = It.connected(server.url(), "self-closer");
    Channel room = It.joined(socket, "room:self-closer");
    It.Recorder<String> done = new It.Recorder<>();
    room.on("bye", m -> {
      socket.close();
      done.add("closed " + socket.isConnected());
    });
    server.broadcast("room:self-closer", "bye", Map.of());
    assertThat(done.awaitCount(1)).containsExactly("closed false");
    It.await("the server let go", () -> server.subscribers("room:self-closer") == 0);
  }

  @Test
  void anOnErrorListenerThatThrowsDoesNotLoopOrStopTheSocket() {
    try (Socket socket = It.connected(server.url(), "error-thrower")) {
      It.Recorder<Throwable> errors = new It.Recorder<>();
      socket.onError(e -> {
        throw new IllegalStateException("the error listener fails too");
      });
      socket.onError(errors::add);
      Channel room = It.joined(socket, "room:error-thrower");
      room.on("boom", m -> {
        throw new IllegalArgumentException("handler bug");
      });
      It.Recorder<Message> after = It.record(room, "after");
      server.broadcast("room:error-thrower", "boom", Map.of());
      server.broadcast("room:error-thrower", "after", Map.of());
      after.awaitCount(1);
      errors.await(e -> causes(e).stream().anyMatch(t -> "handler bug".equals(t.getMessage())));
      // Fence: a round trip, then the errors seen are the handler's and at most one about the failing listener.
      assertThat(It.get(room.push("echo", Map.of())).isOk()).isTrue();
      assertThat(errors.size()).isBetween(1, 2);
      assertThat(socket.isConnected()).isTrue();
    }
  }
}
