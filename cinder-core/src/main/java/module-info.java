/**
 * Cinder's core: channels, sockets, PubSub, Presence, tokens and the pieces an application composes them with.
 *
 * <p>Only the API is exported; the runtime lives in {@code dev.cinder.internal.*}, opened to Cinder's own
 * modules alone. Jackson is required transitively because {@link dev.cinder.Payload}, {@link dev.cinder.Join}
 * and {@link dev.cinder.Reply} hand an application its {@code JsonNode}s.
 */
// The qualified exports name modules built after this one: javac cannot see them yet.
@SuppressWarnings("module")
module dev.cinder.core {
  requires transitive tools.jackson.databind;
  requires transitive org.slf4j; // Steps.log takes the application's Logger

  exports dev.cinder;
  exports dev.cinder.http;
  exports dev.cinder.offload;
  exports dev.cinder.pipeline;
  exports dev.cinder.presence;
  exports dev.cinder.pubsub;
  exports dev.cinder.ratelimit;
  exports dev.cinder.telemetry;
  exports dev.cinder.token;

  exports dev.cinder.internal to dev.cinder.netty, dev.cinder.redis;
  exports dev.cinder.internal.channel to dev.cinder.netty, dev.cinder.test;
  exports dev.cinder.internal.pubsub to dev.cinder.netty, dev.cinder.redis;
  exports dev.cinder.internal.serializer to dev.cinder.netty, dev.cinder.redis, dev.cinder.test;
  exports dev.cinder.internal.socket to dev.cinder.netty, dev.cinder.test;
  exports dev.cinder.internal.token to dev.cinder.netty;
}
