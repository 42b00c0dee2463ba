package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import java.util.function.Consumer;

/**
 * The fan-out of a cluster's PubSub ({@code ClusterPubSub} is its public face): local subscribers are served by
 * a {@link LocalFanout}, other nodes through the {@link Remote} side. {@code broadcastFrom} skips its sender here;
 * remote nodes have no such subscriber.
 */
public final class ClusterFanout implements Fanout {
  /** The other nodes, as the cluster adapter reaches them. */
  public interface Remote {
    /** This node's name in the cluster. */
    String nodeName();

    /** Runs {@code then} once this node hears other nodes' broadcasts on the topic. */
    void whenListening(String topic, Runnable then);

    /** Sends to every other node. */
    void publish(Broadcast broadcast);

    /** Sends to one named node only. */
    void publishTo(String node, Broadcast broadcast);
  }

  private final LocalFanout local;
  private final Remote remote;

  public ClusterFanout(LocalFanout local, Remote remote) {
    this.local = local;
    this.remote = remote;
  }

  @Override
  public Histories histories() {
    return local.histories();
  }

  @Override
  public Subscription subscribe(String topic, Consumer<Broadcast> listener) {
    return local.subscribe(topic, listener);
  }

  @Override
  public Subscription subscribeShared(String topic, Subscriber subscriber) {
    return local.subscribeShared(topic, subscriber);
  }

  @Override
  public void whenListening(String topic, Runnable then) {
    remote.whenListening(topic, then);
  }

  @Override
  public void broadcast(String topic, String event, Object payload) {
    Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
    if (!local.record(broadcast, null)) {
      remote.publish(broadcast);
    }
  }

  @Override
  public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
    Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
    if (!local.record(broadcast, from)) {
      remote.publish(broadcast);
    }
  }

  @Override
  public void localBroadcast(String topic, String event, Object payload) {
    local.localBroadcast(topic, event, payload);
  }

  @Override
  public void directBroadcast(String node, String topic, String event, Object payload) {
    Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
    if (node.equals(nodeName())) {
      local.dispatch(broadcast, null);
    } else {
      remote.publishTo(node, broadcast);
    }
  }

  @Override
  public String nodeName() {
    return remote.nodeName();
  }

  @Override
  public int subscriberCount(String topic) {
    return local.subscriberCount(topic);
  }

  @Override
  public boolean spansNodes() {
    return true;
  }
}
