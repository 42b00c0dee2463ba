package dev.cinder.guide;

import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;

/** One node of a cluster: broadcasts and presence shared with the other nodes through Redis. */
public final class ClusterSetup implements AutoCloseable {
  private final Endpoint endpoint;
  private final Presence presence;
  private final AutoCloseable pubSub;

  private ClusterSetup(Endpoint endpoint, Presence presence, AutoCloseable pubSub) {
    this.endpoint = endpoint;
    this.presence = presence;
    this.pubSub = pubSub;
  }

  // region: cluster-start
  /** {@code nodeName} must be unique in the cluster and stay the same across restarts (e.g. the pod's name). */
  public static ClusterSetup start(String redisUrl, String nodeName, String secretKeyBase, SocketHandler socket) {
    Telemetry telemetry = new Telemetry();
    var pubSub = RedisPubSubAdapter.cluster(RedisPubSubOptions.of(redisUrl, nodeName).channelPrefix("chat"), telemetry);
    Presence presence = Presence.create(pubSub, PresenceOptions.defaults(), telemetry);
    Endpoint endpoint = Endpoint.builder()
        .port(4000)
        .secretKeyBase(secretKeyBase)  // the same on every node: tokens signed on one are valid on all
        .telemetry(telemetry)
        .pubSub(pubSub)
        .socket("/socket", socket, SocketOptions.defaults().longPoll(true))
        .build()
        .start();
    return new ClusterSetup(endpoint, presence, pubSub);
  }
  // endregion

  // region: cluster-close
  @Override
  public void close() throws Exception {
    endpoint.close();  // clients move to the other nodes
    presence.close();  // the other nodes see this node's users leave at once
    pubSub.close();    // last: the leaves above travel through it
  }
  // endregion
}
