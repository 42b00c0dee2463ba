package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.internal.pubsub.Subscriber;
import java.util.function.Consumer;

/**
 * A PubSub spanning a cluster: local subscribers are served by a {@link LocalPubSub}, other nodes through a
 * {@link PubSubAdapter}. {@code broadcastFrom} skips its sender here; remote nodes have no such subscriber.
 */
// Fanout and Subscriber are the runtime's side of this class and stay internal: applications see a PubSub.
@SuppressWarnings("exports")
public final class ClusterPubSub implements Fanout, AutoCloseable {
  private final LocalPubSub local;
  private final PubSubAdapter adapter;

  public ClusterPubSub(LocalPubSub local, PubSubAdapter adapter) {
    this.local = local;
    this.adapter = adapter;
    adapter.start(broadcast -> local.dispatch(broadcast, null), local);
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
  public Subscription subscribeShared(String topic, Subscriber subscriber) {
    return local.subscribeShared(topic, subscriber);
  }

  @Override
  public void broadcast(String topic, String event, Object payload) {
    Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
    local.dispatch(broadcast, null);
    adapter.publish(broadcast);
  }

  @Override
  public void broadcastFrom(Subscriber from, String topic, String event, Object payload) {
    Broadcast broadcast = new Broadcast(topic, event, Payload.of(payload));
    local.dispatch(broadcast, from);
    adapter.publish(broadcast);
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
      adapter.publishTo(node, broadcast);
    }
  }

  @Override
  public String nodeName() {
    return adapter.nodeName();
  }

  @Override
  public int subscriberCount(String topic) {
    return local.subscriberCount(topic);
  }

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
