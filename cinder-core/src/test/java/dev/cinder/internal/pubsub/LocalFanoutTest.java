package dev.cinder.internal.pubsub;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cinder.PubSub.Subscription;
import dev.cinder.telemetry.Telemetry;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Topic → subscribers on one node: subscribe, unsubscribe, the broadcast variants, isolation of failures. */
class LocalFanoutTest {
  private final LocalFanout pubSub = new LocalFanout(new Telemetry(), "a");

  /** A subscriber recording "topic event payload" for each delivery. */
  private static final class Recorder implements Subscriber {
    final List<String> received = new CopyOnWriteArrayList<>();

    @Override
    public void deliver(Dispatch dispatch) {
      var b = dispatch.broadcast();
      received.add(b.topic() + " " + b.event() + " " + b.payload());
    }
  }

  /** How many topics the PubSub holds an entry for (white-box: empty topics must not pile up). */
  private int topicEntries() throws ReflectiveOperationException {
    Field topics = LocalFanout.class.getDeclaredField("topics");
    topics.setAccessible(true);
    return ((Map<?, ?>) topics.get(pubSub)).size();
  }

  @Test
  void deliversBroadcastsToTheTopicsSubscribersOnly() {
    Recorder room1 = new Recorder();
    Recorder room2 = new Recorder();
    pubSub.subscribeShared("room:1", room1);
    pubSub.subscribeShared("room:2", room2);

    pubSub.broadcast("room:1", "new_msg", Map.of("body", "hi"));
    pubSub.localBroadcast("room:1", "local", Map.of());

    assertThat(room1.received).containsExactly("room:1 new_msg {\"body\":\"hi\"}", "room:1 local {}");
    assertThat(room2.received).isEmpty();
  }

  @Test
  void aBroadcastToATopicWithoutSubscribersIsANoOp() {
    pubSub.broadcast("nobody", "e", Map.of());
    assertThat(pubSub.subscriberCount("nobody")).isZero();
  }

  @Test
  void closingTheSubscriptionStopsDeliveryAndDropsTheEmptyTopic() throws ReflectiveOperationException {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Subscription a = pubSub.subscribeShared("room:1", first);
    Subscription b = pubSub.subscribeShared("room:1", second);
    assertThat(pubSub.subscriberCount("room:1")).isEqualTo(2);

    a.close();
    pubSub.broadcast("room:1", "e", Map.of());
    assertThat(first.received).isEmpty();
    assertThat(second.received).hasSize(1);
    assertThat(pubSub.subscriberCount("room:1")).isEqualTo(1);

    b.close();
    assertThat(pubSub.subscriberCount("room:1")).isZero();
    assertThat(topicEntries()).isZero();
    b.close(); // closing twice is harmless
    assertThat(topicEntries()).isZero();
  }

  @Test
  void broadcastFromSkipsTheSenderOnly() {
    Recorder sender = new Recorder();
    Recorder other = new Recorder();
    Recorder third = new Recorder();
    pubSub.subscribeShared("room:1", sender);
    pubSub.subscribeShared("room:1", other);
    pubSub.subscribeShared("room:1", third);

    pubSub.broadcastFrom(sender, "room:1", "e", Map.of());

    assertThat(sender.received).isEmpty();
    assertThat(other.received).hasSize(1);
    assertThat(third.received).hasSize(1);
  }

  @Test
  void aThrowingSubscriberDoesNotCostOthersTheirDelivery() {
    List<Recorder> recorders = List.of(new Recorder(), new Recorder(), new Recorder(), new Recorder());
    // Interleaved with the recorders, whatever order the topic's set iterates in.
    for (Recorder recorder : recorders) {
      pubSub.subscribeShared("room:1", d -> {
        throw new IllegalStateException("subscriber failure");
      });
      pubSub.subscribeShared("room:1", recorder);
    }
    pubSub.broadcast("room:1", "e", Map.of());
    assertThat(recorders).allSatisfy(r -> assertThat(r.received).hasSize(1));
  }

  @Test
  void aSubscriberSubscribedTwiceReceivesOncePerSubscription() {
    Recorder recorder = new Recorder();
    Subscription first = pubSub.subscribeShared("room:1", recorder);
    Subscription second = pubSub.subscribeShared("room:1", recorder);

    pubSub.broadcast("room:1", "one", Map.of());
    assertThat(recorder.received).hasSize(2);
    assertThat(pubSub.subscriberCount("room:1")).isEqualTo(2);

    first.close();
    pubSub.broadcast("room:1", "two", Map.of());
    assertThat(recorder.received).hasSize(3).last().asString().contains("two");

    second.close();
    assertThat(pubSub.subscriberCount("room:1")).isZero();
  }

  /** A topic held as its one subscriber, then as a set, then as one again, delivers to exactly its subscribers. */
  @Test
  void aTopicGoingFromOneSubscriberToSeveralAndBackDeliversToEachOnce() {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Recorder third = new Recorder();
    Subscription a = pubSub.subscribeShared("room:1", first);
    pubSub.broadcast("room:1", "one", Map.of());
    Subscription b = pubSub.subscribeShared("room:1", second);
    pubSub.broadcast("room:1", "two", Map.of());
    a.close();
    pubSub.broadcast("room:1", "three", Map.of());
    a.close(); // closing a subscription already gone leaves the topic's one subscriber in place
    assertThat(pubSub.subscriberCount("room:1")).isEqualTo(1);
    pubSub.subscribeShared("room:1", third);
    pubSub.broadcast("room:1", "four", Map.of());
    b.close();
    pubSub.broadcastFrom(third, "room:1", "five", Map.of());

    assertThat(first.received).containsExactly("room:1 one {}", "room:1 two {}");
    assertThat(second.received).containsExactly("room:1 two {}", "room:1 three {}", "room:1 four {}");
    assertThat(third.received).containsExactly("room:1 four {}");
    assertThat(pubSub.subscriberCount("room:1")).isEqualTo(1);
  }

  /**
   * A subscribe racing the last unsubscribe of the same topic must not land in a set that was already dropped.
   * Two threads meet at a spinning barrier before each round, which makes the race window hit often.
   */
  @Test
  void aSubscribeRacingTheLastUnsubscribeIsNeverLost() throws InterruptedException {
    int rounds = 20_000;
    Subscriber leaving = d -> {};
    Subscriber joining = d -> {};
    Subscription[] leavingSubscriptions = new Subscription[rounds];
    for (int i = 0; i < rounds; i++) {
      leavingSubscriptions[i] = pubSub.subscribeShared("t" + i, leaving);
    }
    AtomicInteger arrived = new AtomicInteger();
    Thread subscriber = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < rounds; i++) {
        meet(arrived, i);
        pubSub.subscribeShared("t" + i, joining);
      }
    });
    Thread unsubscriber = Thread.ofPlatform().start(() -> {
      for (int i = 0; i < rounds; i++) {
        meet(arrived, i);
        leavingSubscriptions[i].close();
      }
    });
    subscriber.join();
    unsubscriber.join();

    List<String> lost = IntStream.range(0, rounds).mapToObj(i -> "t" + i)
        .filter(topic -> pubSub.subscriberCount(topic) != 1).toList();
    assertThat(lost).isEmpty();
  }

  /** A two-party barrier that spins, so both threads leave it at nearly the same instant. */
  private static void meet(AtomicInteger arrived, int round) {
    arrived.incrementAndGet();
    while (arrived.get() < 2 * (round + 1)) {
      Thread.onSpinWait();
    }
  }
}
