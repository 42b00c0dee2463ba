/**
 * A cluster over Redis pub/sub: {@link dev.cinder.redis.RedisPubSubAdapter} carries broadcasts between the nodes
 * of an endpoint, configured by {@link dev.cinder.redis.RedisPubSubOptions} (URL, node name, channel prefix,
 * {@link dev.cinder.redis.ChannelMapping}). {@link dev.cinder.redis.RedisPubSubAdapter#cluster} builds the usual
 * {@link dev.cinder.pubsub.ClusterPubSub} around it. A broadcast that cannot cross while Redis is away is counted,
 * never queued.
 */
package dev.cinder.redis;
