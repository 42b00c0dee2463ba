package dev.cinder.internal.pubsub;

import dev.cinder.Broadcast;
import dev.cinder.Payload;
import dev.cinder.internal.serializer.Frame;
import dev.cinder.internal.serializer.Serializer;

/**
 * One broadcast on its way to local subscribers. Its wire frame is encoded at most once per serializer and
 * the same bytes are shared by every recipient (the fastlane). A broadcast recorded in its topic's history also
 * has a position, and a second frame for the clients that asked for positions: the same message with the position
 * as its ref; other clients get the first frame, as if there were no history.
 */
public final class Dispatch {
  private final Broadcast broadcast;
  private final Position position;
  // Two protocol versions exist, so two slots cover every serializer without a map.
  private Serializer firstSerializer;
  private Frame firstFrame;
  private Serializer secondSerializer;
  private Frame secondFrame;
  private Serializer firstPositionedSerializer;
  private Frame firstPositionedFrame;
  private Serializer secondPositionedSerializer;
  private Frame secondPositionedFrame;

  public Dispatch(Broadcast broadcast) {
    this(broadcast, null);
  }

  /** A broadcast recorded at {@code position} (null: not recorded). */
  public Dispatch(Broadcast broadcast, Position position) {
    this.broadcast = broadcast;
    this.position = position;
  }

  public Broadcast broadcast() {
    return broadcast;
  }

  /** The event that stands in for a recorded broadcast its sender's own channel skips: it carries only the position. */
  public static final String POSITION_EVENT = "phx_position";

  /**
   * This broadcast's position alone, as {@link #POSITION_EVENT} with an empty payload: what a client that asked for
   * positions gets in place of a broadcast its channel sent with {@code broadcastFrom}.
   */
  public Dispatch positionOnly() {
    return new Dispatch(new Broadcast(broadcast.topic(), POSITION_EVENT, Payload.empty()), position);
  }

  /** Where the broadcast stands in its topic's history, or null when it was not recorded. */
  public Position position() {
    return position;
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

  /** The broadcast with its position as the ref, for clients that asked for positions; the plain frame without one. */
  public synchronized Frame positionedFrame(Serializer serializer) {
    if (position == null) {
      return frame(serializer);
    }
    if (firstPositionedSerializer == serializer) {
      return firstPositionedFrame;
    }
    if (secondPositionedSerializer == serializer) {
      return secondPositionedFrame;
    }
    Frame frame = serializer.encodeBroadcast(broadcast, position.toString());
    if (firstPositionedSerializer == null) {
      firstPositionedSerializer = serializer;
      firstPositionedFrame = frame;
    } else if (secondPositionedSerializer == null) {
      secondPositionedSerializer = serializer;
      secondPositionedFrame = frame;
    }
    return frame;
  }
}
