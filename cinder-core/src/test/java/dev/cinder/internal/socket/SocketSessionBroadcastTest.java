package dev.cinder.internal.socket;

import static dev.cinder.internal.socket.SocketHarness.eventually;
import static dev.cinder.internal.socket.SocketHarness.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.ChannelContext;
import dev.cinder.internal.socket.SocketHarness.Client;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Broadcasts reaching joined channels: fastlane, intercepts, broadcast_from, and callback exclusion. */
class SocketSessionBroadcastTest {
  private static final String JOINED = "['1','1','room:1','phx_reply',{'status':'ok','response':{}}]";

  private final SocketHarness harness = new SocketHarness();

  @Test
  void aBroadcastThatIsNotInterceptedGoesStraightToTheClientWithNullRefs() {
    Client client = harness.connect();
    client.join("room:1", "1");
    harness.pubSub.broadcast("room:1", "new_msg", Map.of("body", "hi"));
    client.expectFrames(JOINED, "[null,null,'room:1','new_msg',{'body':'hi'}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1");
  }

  @Test
  void anInterceptedBroadcastGoesThroughHandleOutAndIsPushedWithTheJoinRef() {
    Client client = harness.connect();
    client.join("room:1", "1");
    harness.pubSub.broadcast("room:1", "censored", Map.of("body", "hi"));
    client.expectFrames(JOINED, "['1',null,'room:1','censored',{'body':'hi','censored':true}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "out #1 censored");
  }

  @Test
  void handleOutMayDropAnInterceptedBroadcast() {
    Client client = harness.connect();
    client.join("room:1", "1");
    harness.pubSub.broadcast("room:1", "tick", Map.of());
    client.send("['1','2','room:1','echo',{}]");
    client.expectFrames(JOINED, "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]");
    assertThat(harness.probe.log).containsExactly("join #1 room:1", "out #1 tick", "in #1 echo");
  }

  @Test
  void aBroadcastFromAChannelReachesItsOwnClientToo() {
    Client client = harness.connect();
    client.join("room:1", "1");
    client.send("['1','2','room:1','shout',{'n':1}]");
    client.expectFrames(JOINED,
        "[null,null,'room:1','shout',{'n':1}]",
        "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]");
  }

  @Test
  void broadcastFromSkipsOnlyTheSendingChannel() {
    Client sender = harness.connect();
    Client other = harness.connect();
    sender.join("room:1", "1");
    other.join("room:1", "1");
    Client elsewhere = harness.connect();
    elsewhere.join("room:2", "1");

    sender.send("['1','2','room:1','shout_from',{'n':1}]");

    // The fastlane delivers synchronously inside the sender's handleIn, so its reply comes after any delivery.
    sender.expectFrames(JOINED, "['1','2','room:1','phx_reply',{'status':'ok','response':{}}]");
    other.expectFrames(JOINED, "[null,null,'room:1','shout',{'n':1}]");
    assertThat(elsewhere.framesAfterSync()).hasSize(1);
  }

  @Test
  void callbacksOfOneChannelNeverOverlapUnderConcurrentBroadcastsMessagesAndSends() throws InterruptedException {
    Client client = harness.connect();
    client.join("room:1", "1");
    harness.probe.slowCallbacks = true;
    ChannelContext ctx = harness.probe.context(1);
    int rounds = 60;

    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 3; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        awaitQuietly(start);
        for (int i = 0; i < rounds; i++) {
          harness.pubSub.broadcast("room:1", "tick", Map.of());
        }
      }));
    }
    threads.add(Thread.ofPlatform().start(() -> {
      awaitQuietly(start);
      for (int i = 0; i < rounds; i++) {
        ctx.send("tick");
      }
    }));
    threads.add(Thread.ofPlatform().start(() -> {
      awaitQuietly(start);
      for (int i = 0; i < rounds; i++) {
        client.send("['1','" + (100 + i) + "','room:1','count',{}]");
      }
    }));
    start.countDown();
    for (Thread thread : threads) {
      thread.join();
    }

    eventually().until(() -> harness.probe.count("out #1 tick") == 3L * rounds
        && harness.probe.count("info #1 tick") == rounds
        && harness.probe.count("in #1 count") == rounds);
    assertThat(harness.probe.maxActive).hasValue(1);
    assertThat(client.frames()).containsExactly(json(JOINED));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
