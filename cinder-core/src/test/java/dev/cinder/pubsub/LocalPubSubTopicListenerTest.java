package dev.cinder.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.PubSub.Subscription;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.telemetry.Telemetry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LocalPubSubTopicListenerTest {
  private final LocalPubSub pubSub = new LocalPubSub(new Telemetry(), "a");
  private final List<String> calls = new CopyOnWriteArrayList<>();

  LocalPubSubTopicListenerTest() {
    pubSub.topicListener(new TopicListener() {
      @Override
      public void topicAdded(String topic) {
        calls.add("+" + topic);
      }

      @Override
      public void topicRemoved(String topic) {
        calls.add("-" + topic);
      }
    });
  }

  @Test
  void toldOnlyAboutTheFirstSubscriberAndTheLastLeaving() {
    Subscriber one = d -> {};
    Subscriber two = d -> {};
    Subscription first = Fanout.of(pubSub).subscribeShared("room:1", one);
    Subscription second = Fanout.of(pubSub).subscribeShared("room:1", two);
    assertThat(calls).containsExactly("+room:1");
    assertThat(pubSub.topics()).containsExactly("room:1");

    first.close();
    assertThat(calls).containsExactly("+room:1");
    second.close();
    assertThat(calls).containsExactly("+room:1", "-room:1");
    assertThat(pubSub.topics()).isEmpty();
  }

  @Test
  void aSubscriberJoiningWhileTheLastOneLeavesIsNeverLost() throws Exception {
    // Each thread joins, must hear its own broadcast, and leaves; the topic empties and refills constantly.
    AtomicInteger lost = new AtomicInteger();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = Thread.ofPlatform().start(() -> {
        for (int i = 0; i < 20_000; i++) {
          AtomicInteger heard = new AtomicInteger();
          Subscription s = Fanout.of(pubSub).subscribeShared("room:x", d -> heard.incrementAndGet());
          pubSub.broadcast("room:x", "e", Map.of());
          if (heard.get() == 0) {
            lost.incrementAndGet();
          }
          s.close();
        }
      });
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(lost).hasValue(0);
    assertThat(pubSub.subscriberCount("room:x")).isZero();
    assertThat(calls.stream().filter(c -> c.startsWith("+")).count())
        .isEqualTo(calls.stream().filter(c -> c.startsWith("-")).count());
  }
}
