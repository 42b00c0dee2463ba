package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.Message;
import dev.cinder.internal.serializer.ReplyMessage;
import dev.cinder.internal.serializer.Serializer;
import java.util.concurrent.atomic.AtomicInteger;

/** A serializer that counts how many broadcasts it encoded, delegating the work. */
final class CountingSerializer implements Serializer {
  final AtomicInteger broadcastEncodes = new AtomicInteger();
  private final Serializer delegate;

  CountingSerializer(Serializer delegate) {
    this.delegate = delegate;
  }

  @Override
  public String version() {
    return delegate.version();
  }

  @Override
  public Message decode(Frame frame) {
    return delegate.decode(frame);
  }

  @Override
  public Frame encodePush(Message message) {
    return delegate.encodePush(message);
  }

  @Override
  public Frame encodeReply(ReplyMessage reply) {
    return delegate.encodeReply(reply);
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast) {
    broadcastEncodes.incrementAndGet();
    return delegate.encodeBroadcast(broadcast);
  }

  @Override
  public Frame encodeBroadcast(Broadcast broadcast, String ref) {
    broadcastEncodes.incrementAndGet();
    return delegate.encodeBroadcast(broadcast, ref);
  }
}
