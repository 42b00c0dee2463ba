package dev.cinder.redis;

import io.lettuce.core.cluster.SlotHash;

/**
 * For each of a Redis Cluster's 16,384 hash slots, a short hash tag that lands in it. A key {@code {tag}name} lives
 * in the tag's slot, so a topic's history keys can be put in the slot of the channel its broadcasts are published on,
 * whatever the topic's name; one script can then both record and publish them. Found once, by counting.
 */
final class SlotTags {
  private static final String[] TAGS = find();

  private SlotTags() {}

  /** A key named {@code name} placed in the slot of {@code channel}. */
  static String inSlotOf(String channel, String name) {
    return "{" + TAGS[SlotHash.getSlot(channel)] + "}" + name;
  }

  private static String[] find() {
    String[] tags = new String[SlotHash.SLOT_COUNT];
    int found = 0;
    for (int i = 0; found < tags.length; i++) {
      String tag = Integer.toString(i, 36);
      int slot = SlotHash.getSlot(tag);
      if (tags[slot] == null) {
        tags[slot] = tag;
        found++;
      }
    }
    return tags;
  }
}
