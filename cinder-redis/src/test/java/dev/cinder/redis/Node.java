package dev.cinder.redis;

import static org.awaitility.Awaitility.await;

import dev.cinder.internal.pubsub.Fanout;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.telemetry.Telemetry;
import java.time.Duration;

/** One cluster node in this JVM: a LocalPubSub and a Redis adapter joined by a ClusterPubSub. */
record Node(String name, Telemetry telemetry, RedisPubSubAdapter adapter, ClusterPubSub pubSub) implements AutoCloseable {

  static Node start(RedisPubSubOptions options) {
    Telemetry telemetry = new Telemetry();
    ClusterPubSub pubSub = RedisPubSubAdapter.cluster(options, telemetry);
    return new Node(options.nodeName(), telemetry, (RedisPubSubAdapter) pubSub.adapter(), pubSub);
  }

  /** Subscribes a new inbox and waits until other nodes' broadcasts on the topic reach this node. */
  Inbox subscribe(String topic) {
    Inbox inbox = new Inbox();
    Fanout.of(pubSub).subscribeShared(topic, inbox);
    await().atMost(Duration.ofSeconds(10)).until(() -> adapter.listening(topic));
    return inbox;
  }

  @Override
  public void close() {
    pubSub.close();
  }
}
