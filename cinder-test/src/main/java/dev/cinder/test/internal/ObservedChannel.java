package dev.cinder.test.internal;

import dev.cinder.Channel;
import dev.cinder.ChannelContext;
import dev.cinder.Join;
import dev.cinder.Payload;
import dev.cinder.Reply;
import dev.cinder.StopReason;
import dev.cinder.internal.channel.ChannelProcess;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The application's channel, unchanged, seen from the test: every callback is handed on as it is; what the test
 * needs is noted on the side (the context at join, an exception, the reason given to {@code terminate}). A
 * {@link Fence} message is the test's own and never reaches the channel.
 */
final class ObservedChannel implements Channel {
  private final Channel channel;
  private final Function<String, ChannelRecord> records;
  private ChannelRecord record = new ChannelRecord(); // replaced at join by the test's record of this join

  ObservedChannel(Channel channel, Function<String, ChannelRecord> records) {
    this.channel = channel;
    this.records = records;
  }

  @Override
  public Set<String> intercepts() {
    return channel.intercepts();
  }

  @Override
  public Join join(String topic, Payload params, ChannelContext ctx) {
    ChannelRecord known = ctx instanceof ChannelProcess process ? records.apply(process.joinRef()) : null;
    if (known != null) {
      record = known;
    }
    record.context().complete(ctx);
    return observe(() -> channel.join(topic, params, ctx));
  }

  @Override
  public Reply handleIn(String event, Payload payload, ChannelContext ctx) {
    return observe(() -> channel.handleIn(event, payload, ctx));
  }

  @Override
  public void handleInfo(Object message, ChannelContext ctx) {
    if (message instanceof Fence fence) {
      ctx.push(Fence.EVENT, Map.of("id", fence.id()));
      return;
    }
    observe(() -> {
      channel.handleInfo(message, ctx);
      return null;
    });
  }

  @Override
  public void handleOut(String event, Payload payload, ChannelContext ctx) {
    observe(() -> {
      channel.handleOut(event, payload, ctx);
      return null;
    });
  }

  @Override
  public void terminate(StopReason reason, ChannelContext ctx) {
    try {
      observe(() -> {
        channel.terminate(reason, ctx);
        return null;
      });
    } finally {
      record.ended().complete(reason);
    }
  }

  private <T> T observe(Supplier<T> callback) {
    try {
      return callback.get();
    } catch (RuntimeException | Error e) {
      record.failed(e);
      throw e;
    }
  }
}
