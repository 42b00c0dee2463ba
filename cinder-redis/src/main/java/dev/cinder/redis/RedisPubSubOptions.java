package dev.cinder.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.resource.Delay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Settings of a {@link RedisPubSubAdapter}, immutable; start from {@link #of} and change with the
 * {@code withX}-style methods, each returning a changed copy.
 *
 * @param url {@code redis://[:password@]host:port[/db]}, {@code rediss://} for TLS,
 *     {@code redis-sentinel://[:password@]host:port[,host:port]/[db]#masterName} to find the master
 *     through Redis Sentinel (and find it again after a failover), or
 *     {@code redis-cluster://[:password@]host:port[,host:port...]} ({@code rediss-cluster://} for TLS) for a
 *     Redis Cluster (7.0 or later), given by one or more of its nodes: broadcasts then travel as sharded
 *     pub/sub ({@code SPUBLISH}/{@code SSUBSCRIBE}), each Redis channel on the shard its name hashes to
 * @param nodeName this node's name in the cluster; unique among the nodes sharing a channel prefix
 * @param channelPrefix the first part of every Redis channel name, so several applications can share one
 *     Redis; letters, digits, {@code _ . -}
 * @param mapping how topics map onto Redis channels
 * @param reconnectMinDelay the wait before the first reconnect attempt after the connection drops; each later
 *     wait is drawn at random from a range whose bound doubles per failed attempt (Lettuce's full jitter)
 * @param reconnectMaxDelay the longest wait between reconnect attempts
 * @param maxInFlight publishes sent and not yet answered by Redis; past this a broadcast is dropped and
 *     counted rather than queued, so a stalled Redis costs bounded memory and never blocks a caller
 * @param commandTimeout a publish Redis has not answered in this time counts as undelivered; also the longest a
 *     channel's join reply waits for Redis to confirm the subscription to its topic
 * @param trustedCertificates PEM file of the certificate authorities a {@code rediss://} server's
 *     certificate must chain to, when they are not in the JDK's trust store; null for the JDK's
 * @param topologyRefresh with a Redis Cluster, how often the adapter reads the cluster's topology again (it
 *     also does at once on signs of a change: a redirection, a node that keeps failing to reconnect, a slot
 *     without a master, at most once per this period); after a shard's failover the subscriptions move to
 *     the new master once the adapter has read the new topology. Unused with one Redis or Sentinel
 */
public record RedisPubSubOptions(
    String url,
    String nodeName,
    String channelPrefix,
    ChannelMapping mapping,
    Duration reconnectMinDelay,
    Duration reconnectMaxDelay,
    int maxInFlight,
    Duration commandTimeout,
    Path trustedCertificates,
    Duration topologyRefresh) {

  private static final Pattern PREFIX = Pattern.compile("[A-Za-z0-9_.-]+");
  private static final String CLUSTER_SCHEME = "redis-cluster://";
  private static final String TLS_CLUSTER_SCHEME = "rediss-cluster://";

  public RedisPubSubOptions {
    Objects.requireNonNull(url, "url");
    // Fails now, with Lettuce's reason, rather than at start.
    if (isClusterUrl(url)) {
      clusterSeeds(url);
    } else {
      RedisURI.create(url);
    }
    if (nodeName == null || nodeName.isBlank()) {
      throw new IllegalArgumentException("nodeName is required and must not be blank");
    }
    // No ':' in the prefix, so "prefix:t:topic" can never collide with another prefix's channels.
    if (channelPrefix == null || !PREFIX.matcher(channelPrefix).matches()) {
      throw new IllegalArgumentException("channelPrefix must be letters, digits, '_', '.' or '-': " + channelPrefix);
    }
    Objects.requireNonNull(mapping, "mapping");
    requirePositive(reconnectMinDelay, "reconnectMinDelay");
    requirePositive(reconnectMaxDelay, "reconnectMaxDelay");
    if (reconnectMaxDelay.compareTo(reconnectMinDelay) < 0) {
      throw new IllegalArgumentException("reconnectMaxDelay must not be below reconnectMinDelay");
    }
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1");
    }
    requirePositive(commandTimeout, "commandTimeout");
    requirePositive(topologyRefresh, "topologyRefresh");
  }

  /**
   * Prefix {@code cinder}, the {@link ChannelMapping#PER_TOPIC} mapping (it cuts Redis's traffic by ~40% when topics
   * live on one node, measured in {@code docs/cluster.md}), reconnects after 100 ms, then after waits of
   * growing bounds (doubling, with jitter) up to 5 s,
   * 10,000 publishes in flight, a 5 s command timeout, the JDK's trust store, and (Redis Cluster) the topology
   * read again every 5 s.
   */
  public static RedisPubSubOptions of(String url, String nodeName) {
    return new RedisPubSubOptions(url, nodeName, "cinder", ChannelMapping.PER_TOPIC, Duration.ofMillis(100),
        Duration.ofSeconds(5), 10_000, Duration.ofSeconds(5), null, Duration.ofSeconds(5));
  }

  public RedisPubSubOptions withNodeName(String value) {
    return new RedisPubSubOptions(url, value, channelPrefix, mapping, reconnectMinDelay, reconnectMaxDelay, maxInFlight, commandTimeout, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions channelPrefix(String value) {
    return new RedisPubSubOptions(url, nodeName, value, mapping, reconnectMinDelay, reconnectMaxDelay, maxInFlight, commandTimeout, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions mapping(ChannelMapping value) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, value, reconnectMinDelay, reconnectMaxDelay, maxInFlight, commandTimeout, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions reconnectDelay(Duration min, Duration max) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, mapping, min, max, maxInFlight, commandTimeout, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions maxInFlight(int value) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, mapping, reconnectMinDelay, reconnectMaxDelay, value, commandTimeout, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions commandTimeout(Duration value) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, mapping, reconnectMinDelay, reconnectMaxDelay, maxInFlight, value, trustedCertificates, topologyRefresh);
  }

  public RedisPubSubOptions trustedCertificates(Path value) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, mapping, reconnectMinDelay, reconnectMaxDelay, maxInFlight, commandTimeout, value, topologyRefresh);
  }

  public RedisPubSubOptions topologyRefresh(Duration value) {
    return new RedisPubSubOptions(url, nodeName, channelPrefix, mapping, reconnectMinDelay, reconnectMaxDelay, maxInFlight, commandTimeout, trustedCertificates, value);
  }

  /** Whether {@link #url} names a Redis Cluster ({@code redis-cluster://} or {@code rediss-cluster://}). */
  public boolean isCluster() {
    return isClusterUrl(url);
  }

  private static boolean isClusterUrl(String url) {
    return url.startsWith(CLUSTER_SCHEME) || url.startsWith(TLS_CLUSTER_SCHEME);
  }

  /** The cluster nodes a {@code redis-cluster://} URL names, each with the URL's credentials and TLS setting. */
  List<RedisURI> clusterSeeds() {
    return clusterSeeds(url);
  }

  private static List<RedisURI> clusterSeeds(String url) {
    boolean tls = url.startsWith(TLS_CLUSTER_SCHEME);
    String rest = url.substring(tls ? TLS_CLUSTER_SCHEME.length() : CLUSTER_SCHEME.length());
    int at = rest.lastIndexOf('@');
    String credentials = at < 0 ? "" : rest.substring(0, at + 1);
    String hosts = at < 0 ? rest : rest.substring(at + 1);
    if (hosts.endsWith("/")) {
      hosts = hosts.substring(0, hosts.length() - 1);
    }
    if (hosts.contains("/") || hosts.contains("?") || hosts.contains("#")) {
      // A cluster has one database (0) and no master name: anything after the hosts is a mistake.
      throw new IllegalArgumentException("a redis-cluster:// URL is only [:password@]host:port[,host:port...]: "
          + url.replaceFirst("//[^@/]*@", "//***@"));
    }
    List<RedisURI> seeds = new ArrayList<>();
    for (String host : hosts.split(",")) {
      if (host.isBlank()) {
        throw new IllegalArgumentException("a redis-cluster:// URL names an empty host: " + url.replaceFirst("//[^@/]*@", "//***@"));
      }
      seeds.add(RedisURI.create((tls ? "rediss://" : "redis://") + credentials + host.strip()));
    }
    return List.copyOf(seeds);
  }

  /**
   * Lettuce's full-jitter back-off over these bounds: the n-th attempt waits a random time between half of and
   * all of {@code reconnectMinDelay * 2^(n-1)}, never less than {@code reconnectMinDelay} nor more than
   * {@code reconnectMaxDelay}. The randomness keeps nodes that lost Redis together from coming back in step.
   */
  Delay reconnectBackoff() {
    long baseMillis = Math.max(1, reconnectMinDelay.toMillis());
    return Delay.fullJitter(reconnectMinDelay, reconnectMaxDelay, baseMillis, TimeUnit.MILLISECONDS);
  }

  /** The URL without its password, for logs. */
  public String redactedUrl() {
    return url.replaceFirst("//[^@/]*@", "//***@");
  }

  // The URL may carry a password: never print it.
  @Override
  public String toString() {
    return "RedisPubSubOptions[url=" + redactedUrl() + ", nodeName=" + nodeName + ", channelPrefix=" + channelPrefix
        + ", mapping=" + mapping + ", reconnect=" + reconnectMinDelay + ".." + reconnectMaxDelay
        + ", maxInFlight=" + maxInFlight + ", commandTimeout=" + commandTimeout
        + ", trustedCertificates=" + trustedCertificates + ", topologyRefresh=" + topologyRefresh + "]";
  }

  private static void requirePositive(Duration value, String name) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}
