package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.ClusterFanout;
import dev.cinder.internal.pubsub.FanoutAccess;
import java.util.function.Consumer;

/**
 * A PubSub spanning a cluster: local subscribers are served by a {@link LocalPubSub}, other nodes through a
 * {@link PubSubAdapter}. {@code broadcastFrom} skips its sender here; remote nodes have no such subscriber.
 */
public final class ClusterPubSub implements PubSub, AutoCloseable {
  static {
    FanoutAccess.register(ClusterPubSub.class, pubSub -> ((ClusterPubSub) pubSub).fanout);
  }

  private final LocalPubSub local;
  private final PubSubAdapter adapter;
  private final ClusterFanout fanout;

  /** Joins this node's PubSub to the others through {@code adapter}, which starts receiving here. */
  public ClusterPubSub(LocalPubSub local, PubSubAdapter adapter) {
    this.local = local;
    this.adapter = adapter;
    this.fanout = new ClusterFanout(local.fanout, new ClusterFanout.Remote() {
      @Override
      public String nodeName() {
        return adapter.nodeName();
      }

      @Override
      public void whenListening(String topic, Runnable then) {
        adapter.whenListening(topic, then);
      }

      @Override
      public void publish(Broadcast broadcast) {
        adapter.publish(broadcast);
      }

      @Override
      public void publishTo(String node, Broadcast broadcast) {
        adapter.publishTo(node, broadcast);
      }
    });
    adapter.start(local.fanout::receive, local);
  }

  @Override
  public Subscription subscribe(String topic, Consumer<Broadcast> listener) {
    return fanout.subscribe(topic, listener);
  }

  @Override
  public void broadcast(String topic, String event, Object payload) {
    fanout.broadcast(topic, event, payload);
  }

  @Override
  public void localBroadcast(String topic, String event, Object payload) {
    fanout.localBroadcast(topic, event, payload);
  }

  @Override
  public void directBroadcast(String node, String topic, String event, Object payload) {
    fanout.directBroadcast(node, topic, event, payload);
  }

  @Override
  public String nodeName() {
    return fanout.nodeName();
  }

  @Override
  public int subscriberCount(String topic) {
    return fanout.subscriberCount(topic);
  }

  @Override
  public boolean spansNodes() {
    return true;
  }

  /** This node's PubSub, e.g. for its topic count. */
  public LocalPubSub local() {
    return local;
  }

  /** The adapter carrying broadcasts between nodes, e.g. to report what it could not deliver. */
  public PubSubAdapter adapter() {
    return adapter;
  }

  @Override
  public void close() {
    adapter.close();
  }
}
