package dev.cinder.redis;

import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.pubsub.api.async.RedisClusterPubSubAsyncCommands;
import io.lettuce.core.pubsub.api.async.RedisPubSubAsyncCommands;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Subscribing and unsubscribing Redis channels, without waiting: {@code SUBSCRIBE} on one Redis, or
 * {@code SSUBSCRIBE} on a Redis Cluster, where one command may only name channels of one hash slot (Redis answers
 * {@code CROSSSLOT} otherwise), so the channels are sent as one command per slot, each to that slot's master.
 */
interface ChannelCommands {
  /** Completes once Redis confirmed every channel, exceptionally if any command failed. */
  CompletableFuture<Void> subscribe(List<String> channels);

  CompletableFuture<Void> unsubscribe(List<String> channels);

  static ChannelCommands plain(RedisPubSubAsyncCommands<String, byte[]> commands) {
    return new ChannelCommands() {
      @Override
      public CompletableFuture<Void> subscribe(List<String> channels) {
        return commands.subscribe(channels.toArray(String[]::new)).toCompletableFuture();
      }

      @Override
      public CompletableFuture<Void> unsubscribe(List<String> channels) {
        return commands.unsubscribe(channels.toArray(String[]::new)).toCompletableFuture();
      }
    };
  }

  static ChannelCommands sharded(RedisClusterPubSubAsyncCommands<String, byte[]> commands) {
    return new ChannelCommands() {
      @Override
      public CompletableFuture<Void> subscribe(List<String> channels) {
        return perSlot(channels, slot -> commands.ssubscribe(slot.toArray(String[]::new)).toCompletableFuture());
      }

      @Override
      public CompletableFuture<Void> unsubscribe(List<String> channels) {
        return perSlot(channels, slot -> commands.sunsubscribe(slot.toArray(String[]::new)).toCompletableFuture());
      }
    };
  }

  private static CompletableFuture<Void> perSlot(List<String> channels,
      Function<List<String>, CompletableFuture<Void>> send) {
    Map<Integer, List<String>> bySlot = new LinkedHashMap<>();
    for (String channel : channels) {
      bySlot.computeIfAbsent(SlotHash.getSlot(channel), slot -> new ArrayList<>()).add(channel);
    }
    List<CompletableFuture<Void>> sent = new ArrayList<>();
    for (List<String> slot : bySlot.values()) {
      try {
        sent.add(send.apply(slot));
      } catch (RuntimeException e) {
        sent.add(CompletableFuture.failedFuture(e));
      }
    }
    return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new));
  }
}
