/** Cinder's cluster PubSub over Redis (Lettuce): {@link dev.cinder.redis.RedisPubSubAdapter} and its options. */
// Lettuce ships as an automatic module (a manifest name, no descriptor): the only way to require it.
@SuppressWarnings("requires-automatic")
module dev.cinder.redis {
  requires transitive dev.cinder.core;
  requires lettuce.core;
  requires reactor.core; // Lettuce's event bus (a Redis Cluster's topology changes) is a Flux
  requires org.slf4j;

  exports dev.cinder.redis;
}
