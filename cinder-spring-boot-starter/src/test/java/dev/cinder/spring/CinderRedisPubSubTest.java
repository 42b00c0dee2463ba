package dev.cinder.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.cinder.Broadcast;
import dev.cinder.PubSub;
import dev.cinder.endpoint.Endpoint;
import dev.cinder.pubsub.ClusterPubSub;
import dev.cinder.redis.RedisPubSubAdapter;
import dev.cinder.testkit.RedisServer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** {@code cinder.pubsub.type=redis}: two application contexts, two nodes, one real redis-server between them. */
class CinderRedisPubSubTest {
  private static RedisServer redis;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(CinderAutoConfiguration.class))
      .withUserConfiguration(CinderAutoConfigurationTest.Handler.class)
      .withPropertyValues("cinder.port=0", "cinder.host=127.0.0.1", "cinder.pubsub.type=redis",
          "cinder.secret-key-base=0123456789abcdef0123456789abcdef");

  @BeforeAll
  static void startRedis() {
    redis = RedisServer.launch();
  }

  @AfterAll
  static void stopRedis() {
    if (redis != null) {
      redis.close();
    }
  }

  @Test
  void aBroadcastOnOneNodeReachesTheOtherThroughSpringsRedisUrl() {
    // Node A reads Spring's own spring.data.redis.url, node B cinder.pubsub.redis.url.
    runner.withPropertyValues("cinder.node-name=node-a", "spring.data.redis.url=" + redis.url()).run(a ->
        runner.withPropertyValues("cinder.node-name=node-b", "cinder.pubsub.redis.url=" + redis.url()).run(b -> {
          assertThat(a).hasNotFailed();
          assertThat(b).hasNotFailed();
          PubSub nodeB = b.getBean(PubSub.class);
          assertThat(nodeB).isInstanceOf(ClusterPubSub.class);
          assertThat(nodeB.nodeName()).isEqualTo("node-b");
          CompletableFuture<Broadcast> received = new CompletableFuture<>();
          nodeB.subscribe("room:redis", received::complete);
          RedisPubSubAdapter adapterB = (RedisPubSubAdapter) ((ClusterPubSub) nodeB).adapter();
          await().atMost(Duration.ofSeconds(10)).until(() -> adapterB.listening("room:redis"));

          a.getBean(Endpoint.class).broadcast("room:redis", "hello", java.util.Map.of("from", "a"));
          Broadcast broadcast = received.get(10, TimeUnit.SECONDS);
          assertThat(broadcast.event()).isEqualTo("hello");
          assertThat(broadcast.payload().string("from")).isEqualTo("a");
        }));
  }
}
