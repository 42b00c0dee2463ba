package dev.cinder.pubsub;

import dev.cinder.Broadcast;
import java.util.function.Consumer;

/**
 * Carries broadcasts between the nodes of a cluster (e.g. over Redis). The framework and the Presence
 * tracker never see which adapter runs: they use {@link dev.cinder.PubSub}, which hands remote traffic here.
 *
 * <p>Contract: a published broadcast reaches every other node's inbound consumer at most once, in publish
 * order per publishing node and topic; never this node's own (local delivery is done by the caller). When
 * the transport is down, publishing must not block or throw: the adapter counts what could not cross.
 */
public interface PubSubAdapter extends AutoCloseable {
  /** This node's name in the cluster. */
  String nodeName();

  /** Starts receiving: every broadcast from another node (to all, or to this node) goes to {@code inbound}. */
  void start(Consumer<Broadcast> inbound);

  /**
   * Starts receiving, with this node's local PubSub at hand: adapters may skip traffic for topics nobody
   * here subscribes to, or subscribe per topic through {@link LocalPubSub#topicListener}.
   */
  default void start(Consumer<Broadcast> inbound, LocalPubSub local) {
    start(inbound);
  }

  /**
   * Runs {@code then} once this node receives other nodes' broadcasts on {@code topic}; a channel's join reply
   * waits for it, so that a client told "ok" misses no broadcast sent afterwards from any node. An adapter that
   * subscribes per topic runs it when its transport confirmed the subscription, and at once when it already has or
   * when the transport is down (nothing crosses then); it must run it in bounded time, once, and never block. The
   * default runs it at once, on the calling thread: right for an adapter that hears every topic from its start.
   */
  default void whenListening(String topic, Runnable then) {
    then.run();
  }

  /** Sends to every other node. */
  void publish(Broadcast broadcast);

  /** Sends to one named node only. */
  void publishTo(String node, Broadcast broadcast);

  @Override
  void close();
}
