package dev.cinder.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.V1JsonSerializer;
import dev.cinder.internal.serializer.V2JsonSerializer;
import dev.cinder.telemetry.Telemetry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The fastlane: a broadcast is encoded once per serializer and every recipient gets the same frame. */
class DispatchTest {
  private final LocalFanout pubSub = new LocalFanout(new Telemetry(), "a");
  private final CountingSerializer v2 = new CountingSerializer(V2JsonSerializer.INSTANCE);
  private final CountingSerializer v1 = new CountingSerializer(V1JsonSerializer.INSTANCE);

  /** A subscriber that asks the dispatch for its frame, as a connection's fastlane does. */
  private static Subscriber encodingWith(CountingSerializer serializer, List<Frame> received) {
    return dispatch -> received.add(dispatch.frame(serializer));
  }

  @Test
  void encodesOncePerSerializerAndSharesTheFrameInstance() {
    List<Frame> v2Frames = new CopyOnWriteArrayList<>();
    List<Frame> v1Frames = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 5; i++) {
      pubSub.subscribeShared("room:1", encodingWith(v2, v2Frames));
      pubSub.subscribeShared("room:1", encodingWith(v1, v1Frames));
    }

    pubSub.broadcast("room:1", "new_msg", Map.of("body", "hi"));

    assertThat(v2.broadcastEncodes).hasValue(1);
    assertThat(v1.broadcastEncodes).hasValue(1);
    assertThat(v2Frames).hasSize(5).allSatisfy(f -> assertThat(f).isSameAs(v2Frames.getFirst()));
    assertThat(v1Frames).hasSize(5).allSatisfy(f -> assertThat(f).isSameAs(v1Frames.getFirst()));
    assertThat(v2Frames.getFirst().text()).isEqualTo("[null,null,\"room:1\",\"new_msg\",{\"body\":\"hi\"}]");
    assertThat(v1Frames.getFirst().text())
        .isEqualTo("{\"topic\":\"room:1\",\"event\":\"new_msg\",\"payload\":{\"body\":\"hi\"},\"ref\":null}");
  }

  @Test
  void everySubscriberSeesTheSameDispatch() {
    List<Dispatch> seen = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 3; i++) {
      pubSub.subscribeShared("room:1", seen::add);
    }
    pubSub.broadcast("room:1", "e", Map.of());
    assertThat(seen).hasSize(3).allSatisfy(d -> assertThat(d).isSameAs(seen.getFirst()));
  }

  @Test
  void nothingIsEncodedWhenNoSubscriberAsks() {
    pubSub.subscribeShared("room:1", dispatch -> {});
    pubSub.broadcast("room:1", "e", Map.of());
    pubSub.broadcast("room:2", "e", Map.of());
    assertThat(v2.broadcastEncodes).hasValue(0);
  }

  @Test
  void encodesOnceWhenManyThreadsAskAtOnce() throws InterruptedException {
    Dispatch dispatch = new Dispatch(new Broadcast("room:1", "e", Payload.empty()));
    List<Frame> frames = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      threads.add(Thread.ofPlatform().start(() -> {
        try {
          start.await();
        } catch (InterruptedException e) {
          return;
        }
        frames.add(dispatch.frame(v2));
      }));
    }
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(v2.broadcastEncodes).hasValue(1);
    assertThat(frames).hasSize(16).allSatisfy(f -> assertThat(f).isSameAs(frames.getFirst()));
  }

  @Test
  void aBinaryPayloadBecomesAKindTwoFrame() {
    Dispatch dispatch = new Dispatch(new Broadcast("t", "e", Payload.binary(new byte[] {9})));
    Frame frame = dispatch.frame(v2);
    assertThat(frame.binary()).isTrue();
    assertThat(frame.bytes()).containsExactly(2, 1, 1, 't', 'e', 9);
  }
}
