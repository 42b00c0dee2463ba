/**
 * The PubSubs an endpoint runs on, and the extension point that carries broadcasts between nodes.
 *
 * <p>A {@link dev.cinder.pubsub.LocalPubSub} serves one node. A {@link dev.cinder.pubsub.ClusterPubSub} delivers
 * to this node's subscribers through its local PubSub and hands every broadcast to a
 * {@link dev.cinder.pubsub.PubSubAdapter} (Redis's is in {@code dev.cinder.redis}) for the other nodes. An adapter
 * may follow which topics have local subscribers through a {@link dev.cinder.pubsub.TopicListener}, to receive
 * only the traffic someone here wants; such an adapter also says, through
 * {@link dev.cinder.pubsub.PubSubAdapter#whenListening}, when this node hears a topic, and a channel's join reply
 * waits for that.
 */
package dev.cinder.pubsub;
