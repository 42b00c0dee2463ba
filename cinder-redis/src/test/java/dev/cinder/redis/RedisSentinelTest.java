package dev.cinder.redis;

import dev.cinder.testkit.RedisServer;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code redis-sentinel://}: the nodes ask a Sentinel where the master is, then use it. */
class RedisSentinelTest {
  @TempDir
  static Path dir;

  private static RedisServer master;
  private static RedisServer sentinel;

  @BeforeAll
  static void startRedis() throws Exception {
    master = RedisServer.launch();
    sentinel = RedisServer.launchSentinel("cinder-master", master.port(), dir);
  }

  @AfterAll
  static void stopRedis() {
    if (sentinel != null) {
      sentinel.close();
    }
    if (master != null) {
      master.close();
    }
  }

  @Test
  void nodesFindTheMasterThroughSentinel() {
    RedisPubSubOptions options = RedisPubSubOptions.of("redis-sentinel://127.0.0.1:" + sentinel.port() + "#cinder-master", "a");
    try (Node a = Node.start(options); Node b = Node.start(options.withNodeName("b"))) {
      Inbox inbox = b.subscribe("room:1");
      a.pubSub().broadcast("room:1", "via sentinel", Map.of());
      await().atMost(Duration.ofSeconds(5)).until(() -> inbox.count("via sentinel") == 1);
    }
  }
}
