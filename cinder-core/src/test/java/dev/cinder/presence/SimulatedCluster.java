package dev.cinder.presence;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.Subscriber;
import dev.cinder.pubsub.LocalPubSub;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several nodes in one JVM: each has its own {@link LocalPubSub}; a node's broadcast reaches every node it can
 * reach, its local broadcast only itself, the way a cluster adapter behaves. A node can be cut off (a netsplit
 * or a dead link) and healed.
 */
final class SimulatedCluster {
  private final Map<String, LocalPubSub> nodes = new ConcurrentHashMap<>();
  private final Set<String> isolated = ConcurrentHashMap.newKeySet();

  PubSub node(String name) {
    LocalPubSub local = nodes.computeIfAbsent(name, n -> new LocalPubSub());
    return new PubSub() {
      @Override
      public Subscription subscribe(String topic, Subscriber subscriber) {
        return local.subscribe(topic, subscriber);
      }

      @Override
      public void broadcast(String topic, String event, Object payload) {
        broadcastFrom(null, topic, event, payload);
      }

      @Override
      public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
        Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
        nodes.forEach((other, pubSub) -> {
          if (other.equals(name) || !(isolated.contains(name) || isolated.contains(other))) {
            pubSub.dispatch(broadcast, from);
          }
        });
      }

      @Override
      public void localBroadcast(String topic, String event, Object payload) {
        local.localBroadcast(topic, event, payload);
      }

      @Override
      public void directBroadcast(String node, String topic, String event, Object payload) {
        LocalPubSub target = nodes.get(node);
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

  /** Cuts {@code name} off from every other node, both ways. */
  void isolate(String name) {
    isolated.add(name);
  }

  void heal(String name) {
    isolated.remove(name);
  }
}
