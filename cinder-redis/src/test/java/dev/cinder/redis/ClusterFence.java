package dev.cinder.redis;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Proves that nothing the nodes published before now can still arrive, without sleeping. Redis writes a
 * PUBLISH's copies into every subscriber connection at once, in the order it executes the PUBLISHes, and a node
 * reads its one subscribing connection in order. So: every node broadcasts a marker and the inboxes wait for all
 * of them (now Redis has executed everything published before); then every node broadcasts a second marker and
 * the inboxes wait again. Each inbox gets at least one second marker from another node through Redis, after any
 * copy of an earlier message that Redis could have sent it. Needs inboxes on at least two of the nodes.
 */
final class ClusterFence {
  static final String PREFIX = "fence:";

  private ClusterFence() {}

  static void pass(String topic, List<Node> nodes, List<Inbox> inboxes) {
    for (int round = 1; round <= 2; round++) {
      for (Node node : nodes) {
        node.pubSub().broadcast(topic, PREFIX + round + ":" + node.name(), Map.of());
      }
      for (Inbox inbox : inboxes) {
        for (Node node : nodes) {
          String marker = PREFIX + round + ":" + node.name();
          await().atMost(Duration.ofSeconds(10)).until(() -> inbox.count(marker) >= 1);
        }
      }
    }
  }
}
