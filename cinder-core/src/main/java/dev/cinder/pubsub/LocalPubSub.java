package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.PubSub;
import dev.cinder.internal.pubsub.FanoutAccess;
import dev.cinder.internal.pubsub.LocalFanout;
import dev.cinder.internal.pubsub.TopicWatcher;
import dev.cinder.telemetry.Telemetry;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The PubSub of one node: broadcasts reach this node's subscribers only. An endpoint makes one when given none;
 * a {@link ClusterPubSub} serves its node's subscribers through one. Topic → subscribers is striped, so
 * broadcasts and subscriptions on different topics do not contend, and a join or leave costs O(1) however many
 * subscribers a topic has.
 */
public final class LocalPubSub implements PubSub {
  static {
    FanoutAccess.register(LocalPubSub.class, pubSub -> ((LocalPubSub) pubSub).fanout);
  }

  final LocalFanout fanout;

  /** A single node's PubSub with its own telemetry and a generated node name. */
  public LocalPubSub() {
    this(new Telemetry());
  }

  /** A single node's PubSub whose broadcasts are counted in {@code telemetry}; its node name is generated. */
  public LocalPubSub(Telemetry telemetry) {
    this(telemetry, NodeNames.generate());
  }

  /** A PubSub for the node named {@code nodeName}, counting its broadcasts in {@code telemetry}. */
  public LocalPubSub(Telemetry telemetry, String nodeName) {
    this.fanout = new LocalFanout(telemetry, nodeName);
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

  /** Delivers locally when {@code node} is this node; a single node reaches no other. */
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
    return false;
  }

  /** The number of topics with at least one local subscriber. */
  public int topicCount() {
    return fanout.topicCount();
  }

  /** A live, read-only view of the topics with at least one local subscriber. */
  public Set<String> topics() {
    return fanout.topics();
  }

  /** Sets the one listener told about topics gaining their first or losing their last subscriber (null: none). */
  public void topicListener(TopicListener listener) {
    fanout.topicWatcher(listener == null ? null : new TopicWatcher() {
      @Override
      public void topicAdded(String topic) {
        listener.topicAdded(topic);
      }

      @Override
      public void topicRemoved(String topic) {
        listener.topicRemoved(topic);
      }
    });
  }
}
