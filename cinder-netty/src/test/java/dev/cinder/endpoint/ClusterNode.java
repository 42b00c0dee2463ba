package dev.cinder.endpoint;

import dev.cinder.SocketOptions;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;

/**
 * One node of a test cluster: an endpoint on a free port serving {@link TestSocket} at /socket, whose PubSub
 * crosses to the other nodes through Redis, and a long-poll HTTP client for it.
 */
final class ClusterNode implements AutoCloseable {
  final ClusterPubSub pubSub;
  final TestServer server;
  final LongPollHttp http;

  private ClusterNode(ClusterPubSub pubSub, TestServer server) {
    this.pubSub = pubSub;
    this.server = server;
    this.http = new LongPollHttp(server.endpoint.port());
  }

  static ClusterNode start(RedisPubSubOptions redis, SocketOptions options) {
    ClusterPubSub pubSub = RedisPubSubAdapter.cluster(redis, new Telemetry());
    return new ClusterNode(pubSub, new TestServer(options, pubSub));
  }

  int port() {
    return server.endpoint.port();
  }

  RedisPubSubAdapter adapter() {
    return (RedisPubSubAdapter) pubSub.adapter();
  }

  /** Whether other nodes' broadcasts on the topic reach this node now: Redis confirmed its subscription. */
  boolean listening(String topic) {
    return adapter().listening(topic);
  }

  @Override
  public void close() {
    server.close(); // first, so that held polls hear "gone" while Redis still carries it
    pubSub.close();
  }
}
