package dev.cinder.presence;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Histories;
import dev.cinder.internal.pubsub.LocalFanout;
import dev.cinder.internal.pubsub.Subscriber;
import dev.cinder.telemetry.Telemetry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Several nodes in one JVM: each has its own {@link LocalFanout}; a node's broadcast reaches every node it can
 * reach, its local broadcast only itself, the way a cluster adapter behaves. A node can be cut off (a netsplit
 * or a dead link) and healed, and a node's next broadcast of an event can be held on its way out.
 */
final class SimulatedCluster {
  private final Map<String, LocalFanout> nodes = new ConcurrentHashMap<>();
  private final Set<String> isolated = ConcurrentHashMap.newKeySet();
  private final Map<String, Hold> holds = new ConcurrentHashMap<>();

  /** A broadcast held on its sender's thread (a message on its way out) until released. */
  static final class Hold {
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private final CountDownLatch passed = new CountDownLatch(1);

    void awaitHeld() throws InterruptedException {
      if (!held.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("nothing was held");
      }
    }

    void release() {
      released.countDown();
    }

    /** Waits until the released broadcast has been delivered to every node it reaches. */
    void awaitPassed() throws InterruptedException {
      if (!passed.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("the held broadcast never went through");
      }
    }

    private void hold() {
      held.countDown();
      try {
        released.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  PubSub node(String name) {
    LocalFanout local = nodes.computeIfAbsent(name, n -> new LocalFanout(new Telemetry(), n));
    return new Fanout() {
      @Override
      public Histories histories() {
        return local.histories();
      }

      @Override
      public Subscription subscribeShared(String topic, Subscriber subscriber) {
        return local.subscribeShared(topic, subscriber);
      }

      @Override
      public Subscription subscribe(String topic, Consumer<Broadcast> listener) {
        return local.subscribe(topic, listener);
      }

      @Override
      public boolean spansNodes() {
        return true;
      }

      @Override
      public void broadcast(String topic, String event, Object payload) {
        broadcastFrom(null, topic, event, payload);
      }

      @Override
      public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
        Hold hold = holds.remove(name + " " + event);
        if (hold != null) {
          hold.hold();
        }
        Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
        nodes.forEach((other, pubSub) -> {
          if (other.equals(name) || !(isolated.contains(name) || isolated.contains(other))) {
            pubSub.dispatch(broadcast, from);
          }
        });
        if (hold != null) {
          hold.passed.countDown();
        }
      }

      @Override
      public void localBroadcast(String topic, String event, Object payload) {
        local.localBroadcast(topic, event, payload);
      }

      @Override
      public void directBroadcast(String node, String topic, String event, Object payload) {
        LocalFanout target = nodes.get(node);
        if (target != null && (node.equals(name) || !(isolated.contains(name) || isolated.contains(node)))) {
          target.dispatch(new Broadcast(topic, event, Payload.of(payload)), null);
        }
      }

      @Override
      public String nodeName() {
        return name;
      }

      @Override
      public int subscriberCount(String topic) {
        return local.subscriberCount(topic);
      }
    };
  }

  /** Holds the next broadcast of {@code event} by {@code name} (e.g. a tracker heartbeat) until released. */
  Hold holdNext(String name, String event) {
    Hold hold = new Hold();
    holds.put(name + " " + event, hold);
    return hold;
  }

  /** Cuts {@code name} off from every other node, both ways. */
  void isolate(String name) {
    isolated.add(name);
  }

  void heal(String name) {
    isolated.remove(name);
  }
}
