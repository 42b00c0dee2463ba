package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.Serializer;

/**
 * One broadcast on its way to local subscribers. Its wire frame is encoded at most once per serializer and
 * the same bytes are shared by every recipient (the fastlane).
 */
public final class Dispatch {
  private final Broadcast broadcast;
  // Two protocol versions exist, so two slots cover every serializer without a map.
  private Serializer firstSerializer;
  private Frame firstFrame;
  private Serializer secondSerializer;
  private Frame secondFrame;

  public Dispatch(Broadcast broadcast) {
    this.broadcast = broadcast;
  }

  public Broadcast broadcast() {
    return broadcast;
  }

  /** The broadcast encoded by {@code serializer}, shared; encoding happens on first use. */
  public synchronized Frame frame(Serializer serializer) {
    if (firstSerializer == serializer) {
      return firstFrame;
    }
    if (secondSerializer == serializer) {
      return secondFrame;
    }
    Frame frame = serializer.encodeBroadcast(broadcast);
    if (firstSerializer == null) {
      firstSerializer = serializer;
      firstFrame = frame;
    } else if (secondSerializer == null) {
      secondSerializer = serializer;
      secondFrame = frame;
    }
    return frame;
  }
}
