package dev.cinder.guide;

import dev.cinder.SocketHandler;
import dev.cinder.SocketOptions;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.presence.Presence;
import dev.cinder.presence.PresenceOptions;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.redis.RedisPubSubOptions;
import dev.cinder.telemetry.Telemetry;
import java.util.function.Function;

/** One node of a cluster: broadcasts and presence shared with the other nodes through Redis. */
public final class ClusterSetup implements AutoCloseable {
  private final Endpoint endpoint;
  private final Presence presence;
  /** Closes the PubSub: disconnects from Redis. */
  private final Runnable closePubSub;

  private ClusterSetup(Endpoint endpoint, Presence presence, Runnable closePubSub) {
    this.endpoint = endpoint;
    this.presence = presence;
    this.closePubSub = closePubSub;
  }

  // region: cluster-start
  /**
   * {@code nodeName} must be unique in the cluster and stay the same across restarts (e.g. the pod's name);
   * {@code socketFor} makes the socket handler, whose channels need this node's Presence.
   */
  public static ClusterSetup start(String redisUrl, String nodeName, int port, String secretKeyBase,
      Function<Presence, SocketHandler> socketFor) {
    Telemetry telemetry = new Telemetry();
    var pubSub = RedisPubSubAdapter.cluster(RedisPubSubOptions.of(redisUrl, nodeName).channelPrefix("chat"), telemetry);
    Presence presence = Presence.create(pubSub, PresenceOptions.defaults(), telemetry);
    Endpoint endpoint = Endpoint.builder()
        .port(port)
        .secretKeyBase(secretKeyBase)  // the same on every node: tokens signed on one are valid on all
        .telemetry(telemetry)
        .pubSub(pubSub)
        .socket("/socket", socketFor.apply(presence), SocketOptions.defaults().longPoll(true))
        .build()
        .start();
    return new ClusterSetup(endpoint, presence, pubSub::close);
  }
  // endregion

  public Endpoint endpoint() {
    return endpoint;
  }

  public Presence presence() {
    return presence;
  }

  // region: cluster-close
  @Override
  public void close() {
    endpoint.close();    // clients move to the other nodes
    presence.close();    // the other nodes see this node's users leave at once
    closePubSub.run();   // last: the leaves above travel through it
  }
  // endregion
}
