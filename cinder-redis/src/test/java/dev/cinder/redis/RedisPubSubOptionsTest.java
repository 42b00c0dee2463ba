package dev.cinder.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lettuce.core.RedisURI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The URL forms the options accept, and what a bad one says; no Redis needed. */
class RedisPubSubOptionsTest {
  @Test
  void aClusterUrlNamesEverySeedWithTheCredentialsAndTls() {
    RedisPubSubOptions options = RedisPubSubOptions.of("redis-cluster://:s3cret@10.0.0.1:7001, 10.0.0.2:7002,redis-c", "a");
    assertThat(options.isCluster()).isTrue();
    assertThat(options.clusterSeeds()).extracting(RedisURI::getHost, RedisURI::getPort, RedisURI::isSsl)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("10.0.0.1", 7001, false),
            org.assertj.core.groups.Tuple.tuple("10.0.0.2", 7002, false),
            org.assertj.core.groups.Tuple.tuple("redis-c", 6379, false));
    assertThat(options.clusterSeeds()).allSatisfy(seed -> assertThat(new String(seed.getCredentialsProvider().resolveCredentials().block().getPassword())).isEqualTo("s3cret"));
    assertThat(options.redactedUrl()).isEqualTo("redis-cluster://***@10.0.0.1:7001, 10.0.0.2:7002,redis-c");
    assertThat(options.toString()).doesNotContain("s3cret");

    RedisPubSubOptions tls = RedisPubSubOptions.of("rediss-cluster://h:6380/", "a");
    assertThat(tls.clusterSeeds()).singleElement().satisfies(seed -> assertThat(seed.isSsl()).isTrue());
    assertThat(RedisPubSubOptions.of("redis://h:6379", "a").isCluster()).isFalse();
  }

  @Test
  void aBadClusterUrlIsRefusedWhenTheOptionsAreMade() {
    assertThatThrownBy(() -> RedisPubSubOptions.of("redis-cluster://:pw@h:1/0", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only [:password@]host:port")
        .hasMessageNotContaining("pw");
    assertThatThrownBy(() -> RedisPubSubOptions.of("redis-cluster://h:1,,h:2", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty host");
    assertThatThrownBy(() -> RedisPubSubOptions.of("redis-cluster://h:1", "a").topologyRefresh(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topologyRefresh");
  }
}
