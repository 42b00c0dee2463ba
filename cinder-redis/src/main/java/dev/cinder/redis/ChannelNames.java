package dev.cinder.redis;

/**
 * The Redis channel names of one application prefix: {@code prefix:all} (the shared mapping),
 * {@code prefix:t:<topic>} (one per topic) and {@code prefix:n:<node>} (one per node, for direct sends); and the
 * keys of topics' histories, {@code prefix:h:<topic>} and {@code prefix:hm:<topic>}.
 * The prefix has no ':' so the names of two prefixes never collide.
 */
final class ChannelNames {
  private final String all;
  private final String topicPrefix;
  private final String nodePrefix;
  private final String historyPrefix;
  private final String historyMetaPrefix;

  ChannelNames(String prefix) {
    this.all = prefix + ":all";
    this.topicPrefix = prefix + ":t:";
    this.nodePrefix = prefix + ":n:";
    this.historyPrefix = prefix + ":h:";
    this.historyMetaPrefix = prefix + ":hm:";
  }

  /** The key of a topic's history stream (a key, not a channel: same prefix, its own namespace). */
  String history(String topic) {
    return historyPrefix + topic;
  }

  /** The key of the hash with a topic's history epoch and last offset. */
  String historyMeta(String topic) {
    return historyMetaPrefix + topic;
  }

  String all() {
    return all;
  }

  String topic(String topic) {
    return topicPrefix + topic;
  }

  String node(String node) {
    return nodePrefix + node;
  }

  /** The topic a per-topic channel carries, or null for any other channel. */
  String topicOf(String channel) {
    return channel.startsWith(topicPrefix) ? channel.substring(topicPrefix.length()) : null;
  }
}
