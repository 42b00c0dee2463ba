package dev.cinder.bench.client;

import dev.cinder.bench.wire.ServerFrame;

/**
 * What a scenario does with the frames that are not join or heartbeat replies; called on the I/O thread. A frame is
 * valid only during the call (its bytes are reused for the next one): keep copies of what it holds, never the frame.
 */
public interface Traffic {
  Traffic NONE = (client, frame, nowMicros) -> false;

  /** Returns false for a frame the scenario did not expect; the fleet counts those. */
  boolean onFrame(PhxClient client, ServerFrame frame, long nowMicros);

  /** A reply to a {@link PhxClient#push}; returns false when this scenario sent none (counted as bad). */
  default boolean onReply(PhxClient client, ServerFrame frame, long nowMicros) {
    return false;
  }
}
