package dev.cinder.redis;

import dev.cinder.testkit.RedisServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A Redis started with {@code --requirepass}: the password travels in the URL, and never into logs. */
class RedisPasswordTest {
  private static RedisServer redis;

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.launch("--requirepass", "s3cret pass");
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void nodesWithThePasswordExchangeBroadcasts() {
    RedisPubSubOptions options = RedisPubSubOptions.of("redis://:s3cret%20pass@127.0.0.1:" + redis.port(), "a");
    try (Node a = Node.start(options); Node b = Node.start(options.withNodeName("b"))) {
      Inbox inbox = b.subscribe("room:1");
      a.pubSub().broadcast("room:1", "hello", Map.of());
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.count("hello") == 1);
    }
    assertThat(options.toString()).doesNotContain("s3cret").contains("***@127.0.0.1");
  }

  @Test
  void aWrongPasswordStopsTheNodeAtStartWithoutShowingThePassword() {
    RedisPubSubOptions options = RedisPubSubOptions.of("redis://:wrong@127.0.0.1:" + redis.port(), "a");
    assertThatThrownBy(() -> Node.start(options))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("cannot start on Redis redis://***@127.0.0.1")
        .message().doesNotContain("wrong");
  }
}
