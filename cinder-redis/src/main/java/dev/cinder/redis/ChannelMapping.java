package dev.cinder.redis;

/**
 * How topics map onto Redis channels. Either way each node also has a channel of its own for
 * {@code directBroadcast}, and the figures behind the default are in {@code docs/cluster.md}.
 */
public enum ChannelMapping {
  /**
   * One Redis channel per application prefix: every node receives every broadcast and drops those for
   * topics it has no subscriber of, without parsing their payload. No subscription traffic when channels
   * are joined or left; a node hears a topic from the moment its first local subscriber joins.
   */
  SHARED,

  /**
   * One Redis channel per topic, subscribed while the node has a local subscriber of it: Redis sends each
   * node only the topics it wants. Costs a SUBSCRIBE when a topic gains its first local subscriber (and
   * an UNSUBSCRIBE when it loses its last); broadcasts sent before Redis confirms that subscription do
   * not reach the new subscriber from other nodes. The default.
   */
  PER_TOPIC
}
